import { BufferReader } from 'pg-protocol/dist/buffer-reader';

/**
 * The messages a client sends after startup, read with pg-protocol's own BufferReader (the reader `pg` uses
 * for the server's messages; pg-protocol has no parser for the client's side). Startup and authentication are
 * pg-gateway's; client-connection.ts frames the messages after them.
 */
export type FrontendMessage =
  | { type: 'query'; text: string }
  | { type: 'parse'; name: string; text: string; parameterTypes: number[] }
  | { type: 'bind'; portal: string; statement: string; values: (string | Buffer | null)[]; binaryResults: boolean }
  | { type: 'describe'; target: 'statement' | 'portal'; name: string }
  | { type: 'execute'; portal: string; maxRows: number }
  | { type: 'close'; target: 'statement' | 'portal'; name: string }
  | { type: 'copy-data'; chunk: Buffer }
  | { type: 'copy-done' }
  | { type: 'copy-fail'; message: string }
  | { type: 'sync' }
  | { type: 'flush' }
  | { type: 'terminate' }
  | { type: 'unsupported'; code: string };

/** Reads one whole message (type byte, length, body). */
export function readFrontendMessage(data: Uint8Array): FrontendMessage {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const reader = new BufferReader();
  reader.setBuffer(0, buffer);
  const code = String.fromCharCode(reader.byte());
  reader.int32();
  switch (code) {
    case 'Q':
      return { type: 'query', text: reader.cstring() };
    case 'P': {
      const name = reader.cstring();
      const text = reader.cstring();
      const count = reader.int16();
      const parameterTypes: number[] = [];
      for (let i = 0; i < count; i++) parameterTypes.push(reader.uint32());
      return { type: 'parse', name, text, parameterTypes };
    }
    case 'B': {
      const portal = reader.cstring();
      const statement = reader.cstring();
      const formats = formatCodes(reader);
      const count = reader.int16();
      const values: (string | Buffer | null)[] = [];
      for (let i = 0; i < count; i++) {
        const length = reader.int32();
        if (length < 0) {
          values.push(null);
          continue;
        }
        const bytes = Buffer.from(reader.bytes(length));
        // One format code applies to every parameter; none means all text.
        const binary = (formats.length === 1 ? formats[0] : (formats[i] ?? 0)) === 1;
        values.push(binary ? bytes : bytes.toString('utf8'));
      }
      const resultFormats = formatCodes(reader);
      return { type: 'bind', portal, statement, values, binaryResults: resultFormats.some((format) => format === 1) };
    }
    case 'D':
      return { type: 'describe', target: reader.byte() === 0x53 ? 'statement' : 'portal', name: reader.cstring() };
    case 'E':
      return { type: 'execute', portal: reader.cstring(), maxRows: reader.int32() };
    case 'C':
      return { type: 'close', target: reader.byte() === 0x53 ? 'statement' : 'portal', name: reader.cstring() };
    case 'd':
      return { type: 'copy-data', chunk: buffer.subarray(5) };
    case 'c':
      return { type: 'copy-done' };
    case 'f':
      return { type: 'copy-fail', message: reader.cstring() };
    case 'S':
      return { type: 'sync' };
    case 'H':
      return { type: 'flush' };
    case 'X':
      return { type: 'terminate' };
    default:
      return { type: 'unsupported', code };
  }
}

function formatCodes(reader: BufferReader): number[] {
  const count = reader.int16();
  const codes: number[] = [];
  for (let i = 0; i < count; i++) codes.push(reader.int16());
  return codes;
}
