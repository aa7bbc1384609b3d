import { Writer } from 'pg-protocol/dist/buffer-writer';

/**
 * The server's side of the messages the proxy answers with, written with pg-protocol's own Writer (which frames
 * each message with its type byte and length, as pg does for the client's side).
 */

/** A column as RowDescription describes it; results always travel as text (format 0). */
export interface ColumnDescription {
  name: string;
  tableID: number;
  columnID: number;
  dataTypeID: number;
  dataTypeSize: number;
  dataTypeModifier: number;
}

/** An ErrorResponse's or NoticeResponse's fields. */
export interface ServerMessageFields {
  severity: string;
  code: string;
  message: string;
  detail?: string;
  hint?: string;
  position?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
}

const FIELD_CODES: [keyof ServerMessageFields, string][] = [
  ['severity', 'S'],
  ['severity', 'V'],
  ['code', 'C'],
  ['message', 'M'],
  ['detail', 'D'],
  ['hint', 'H'],
  ['position', 'P'],
  ['where', 'W'],
  ['schema', 's'],
  ['table', 't'],
  ['column', 'c'],
  ['constraint', 'n'],
];

function message(code: string, write: (writer: Writer) => void = () => undefined): Buffer {
  const writer = new Writer();
  write(writer);
  return writer.flush(code.charCodeAt(0));
}

export const backend = {
  authenticationOk: () => message('R', (w) => w.addInt32(0)),
  parameterStatus: (name: string, value: string) => message('S', (w) => w.addCString(name).addCString(value)),
  backendKeyData: (processId: number, secret: number) => message('K', (w) => w.addInt32(processId).addInt32(secret)),
  readyForQuery: (status: 'I' | 'T' | 'E') => message('Z', (w) => w.addString(status)),
  parseComplete: () => message('1'),
  bindComplete: () => message('2'),
  closeComplete: () => message('3'),
  noData: () => message('n'),
  emptyQuery: () => message('I'),
  portalSuspended: () => message('s'),
  commandComplete: (tag: string) => message('C', (w) => w.addCString(tag)),
  parameterDescription: (types: number[]) =>
    message('t', (w) => {
      w.addInt16(types.length);
      for (const type of types) w.addInt32(type | 0);
    }),
  rowDescription: (columns: ColumnDescription[]) =>
    message('T', (w) => {
      w.addInt16(columns.length);
      for (const column of columns) {
        w.addCString(column.name)
          .addInt32(column.tableID)
          .addInt16(column.columnID)
          .addInt32(column.dataTypeID | 0);
        w.addInt16(column.dataTypeSize).addInt32(column.dataTypeModifier).addInt16(0);
      }
    }),
  dataRow: (values: (string | null)[]) =>
    message('D', (w) => {
      w.addInt16(values.length);
      for (const value of values) {
        if (value === null) {
          w.addInt32(-1);
          continue;
        }
        const bytes = Buffer.from(value, 'utf8');
        w.addInt32(bytes.length).add(bytes);
      }
    }),
  copyInResponse: (binary: boolean, columnFormats: number[]) =>
    message('G', (w) => copyFormats(w, binary, columnFormats)),
  copyOutResponse: (binary: boolean, columnFormats: number[]) =>
    message('H', (w) => copyFormats(w, binary, columnFormats)),
  copyData: (chunk: Buffer) => message('d', (w) => w.add(chunk)),
  copyDone: () => message('c'),
  error: (fields: ServerMessageFields) => message('E', (w) => addFields(w, fields)),
  notice: (fields: ServerMessageFields) => message('N', (w) => addFields(w, fields)),
};

function copyFormats(writer: Writer, binary: boolean, columnFormats: number[]): void {
  // The overall format is one byte (Int8), the column count and each column's format two.
  writer.add(Buffer.from([binary ? 1 : 0])).addInt16(columnFormats.length);
  for (const format of columnFormats) writer.addInt16(format);
}

function addFields(writer: Writer, fields: ServerMessageFields): void {
  for (const [key, code] of FIELD_CODES) {
    const value = fields[key];
    if (value !== undefined && value !== null) writer.addString(code).addCString(String(value));
  }
  writer.addCString('');
}
