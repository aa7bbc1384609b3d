import { AbstractMessageBuffer, RAL } from 'vscode-languageserver/node';

/**
 * The largest message accepted. The biggest real one is a didOpen or didChange of a file Preflight still lints
 * (4 MB, a few times that as escaped JSON); a declared length beyond this is broken framing, and buffering it
 * would hold the server's memory (vscode-jsonrpc's reader waits for, then allocates, any length it is told).
 */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** LSP headers are a line or two (`Content-Length`, maybe `Content-Type`); bytes that never end one are not LSP. */
const MAX_HEADER_BYTES = 8 * 1024;

/**
 * Follows the base protocol's framing (a header with `Content-Length`, then that many bytes of body) over the
 * input, with vscode-jsonrpc's own header parser, and tells when it breaks. The connection's reader cannot
 * recover from that: it drops a header without Content-Length and then reads whatever follows as headers, takes
 * a negative length, or waits forever for a 2 GB body, and the server stays up but deaf. A broken body inside a
 * well-framed message (invalid JSON) is not a framing problem: the reader reports it and goes on.
 */
export class FramingCheck {
  private readonly buffer = RAL().messageBuffer.create('utf-8') as AbstractMessageBuffer;
  /** Bytes of the current message's body still to come; 0 while a header is expected. */
  private bodyBytesLeft = 0;

  /** Takes the next bytes read; returns why the input can no longer be framed, or undefined while it can. */
  accept(chunk: Uint8Array): string | undefined {
    this.buffer.append(chunk);
    for (;;) {
      if (this.bodyBytesLeft > 0) {
        // The body is the reader's to decode; here its bytes are only counted off.
        const available = Math.min(this.bodyBytesLeft, this.buffer.numberOfBytes);
        if (available === 0) return undefined;
        this.buffer.tryReadBody(available);
        this.bodyBytesLeft -= available;
        continue;
      }
      let headers: Map<string, string> | undefined;
      try {
        headers = this.buffer.tryReadHeaders(true);
      } catch (error) {
        // "Message header must separate key and value using ':'", followed by the offending bytes, not echoed.
        return (error as Error).message.split('\n')[0];
      }
      if (!headers)
        return this.buffer.numberOfBytes > MAX_HEADER_BYTES
          ? `no end of a message header in ${MAX_HEADER_BYTES} bytes`
          : undefined;
      const declared = headers.get('content-length');
      if (declared === undefined) return 'a message header without Content-Length';
      if (!/^\d+$/.test(declared)) return `Content-Length ${JSON.stringify(declared.slice(0, 24))} is not a byte count`;
      const length = Number(declared);
      if (length > MAX_MESSAGE_BYTES) return `Content-Length ${length} is over the ${MAX_MESSAGE_BYTES}-byte limit`;
      this.bodyBytesLeft = length;
    }
  }
}

/**
 * Checks the framing of everything read from `input` before the connection's reader sees it (this listener is
 * put first), and calls `broken` with the reason on the first chunk that breaks it; `broken` ends the process,
 * so the reader never gets that chunk.
 */
export function checkFraming(input: NodeJS.ReadableStream, broken: (problem: string) => never): void {
  const framing = new FramingCheck();
  input.prependListener('data', (chunk: Buffer) => {
    const problem = framing.accept(chunk);
    if (problem !== undefined) broken(problem);
  });
}
