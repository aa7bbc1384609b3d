import type { Connection } from 'pg';
import type {
  DataRowMessage,
  DatabaseError,
  ParameterDescriptionMessage,
  RowDescriptionMessage,
} from 'pg-protocol/dist/messages';
import type { ColumnDescription } from './backend-messages';

/**
 * One of the code's statements sent on the dry-run's connection as pg's own queries are sent (a "submittable"
 * that pg's Client queues like any query), with the client's parameter types and values and its rows kept as
 * the text the server sent, so the proxy hands them on unchanged. pg's Query would parse the rows into
 * JavaScript values and cannot send parameter types.
 */
export interface WireResult {
  columns: ColumnDescription[] | null;
  rows: (string | null)[][];
  /** The CommandComplete tag (`INSERT 0 3`), or null for an empty query. */
  command: string | null;
  rowCount: number | null;
  /** Parameter types the server inferred (describe only). */
  parameterTypes?: number[];
}

type PgConnection = Connection & {
  parse(query: { name?: string; text: string; types?: number[] }): void;
  bind(config: { portal?: string; statement?: string; values?: unknown[]; binary?: boolean }): void;
  describe(message: { type: 'S' | 'P'; name?: string }): void;
  execute(config: { portal?: string; rows?: number }): void;
  sync(): void;
};

/**
 * Parse, Bind, Describe, Execute, Sync in one round trip on the unnamed statement and portal; `describeOnly` stops
 * after Describe. `ahead`: savepoint commands sent first in the same write, each parsed, bound and executed before
 * the statement (an error in one skips the rest, as any error before Sync does).
 */
export class UpstreamQuery {
  readonly done: Promise<WireResult>;
  private resolve!: (result: WireResult) => void;
  private reject!: (error: Error) => void;
  private readonly result: WireResult = { columns: null, rows: [], command: null, rowCount: null };
  private error: Error | undefined;
  private detach: (() => void) | undefined;
  /** The CommandCompletes still to come for the `ahead` commands, before the statement's own. */
  private aheadPending: number;

  constructor(
    private readonly text: string,
    private readonly parameterTypes: number[],
    private readonly values: (string | Buffer | null)[],
    private readonly describeOnly = false,
    private readonly ahead: readonly string[] = [],
  ) {
    this.aheadPending = ahead.length;
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: PgConnection): void {
    const onParameters = (message: ParameterDescriptionMessage) => (this.result.parameterTypes = message.dataTypeIDs);
    connection.on('parameterDescription', onParameters);
    this.detach = () => connection.removeListener('parameterDescription', onParameters);
    // One write for the five messages, as pg's own queries do: each write on a no-delay socket is a packet the
    // server wakes up for.
    const stream = (connection as unknown as { stream: { cork(): void; uncork(): void } }).stream;
    stream.cork();
    try {
      for (const command of this.ahead) {
        connection.parse({ text: command });
        connection.bind({});
        connection.execute({ rows: 0 });
      }
      connection.parse({ text: this.text, types: this.parameterTypes });
      if (this.describeOnly) {
        connection.describe({ type: 'S', name: '' });
      } else {
        connection.bind({ values: this.values, binary: false });
        connection.describe({ type: 'P', name: '' });
        connection.execute({ rows: 0 });
      }
      connection.sync();
    } finally {
      stream.uncork();
    }
  }

  handleRowDescription(message: RowDescriptionMessage): void {
    this.result.columns = message.fields.map((field) => ({
      name: field.name,
      tableID: field.tableID,
      columnID: field.columnID,
      dataTypeID: field.dataTypeID,
      dataTypeSize: field.dataTypeSize,
      dataTypeModifier: field.dataTypeModifier,
    }));
  }

  handleDataRow(message: DataRowMessage): void {
    this.result.rows.push(message.fields as (string | null)[]);
  }

  handleCommandComplete(message: { text: string }): void {
    if (this.aheadPending > 0) {
      this.aheadPending--;
      return;
    }
    this.result.command = message.text;
    const count = /(\d+)$/.exec(message.text);
    this.result.rowCount = count ? Number(count[1]) : null;
  }

  handleEmptyQuery(): void {
    this.result.command = null;
  }

  handlePortalSuspended(): void {}

  /**
   * pg's Client lets go of the query at an error (its ReadyForQuery then goes to no query, and the next query
   * waits for it), so the query settles here.
   */
  handleError(error: DatabaseError | Error): void {
    if (this.aheadPending > 0)
      error.message = `preflight dry-run: ${this.ahead[this.ahead.length - this.aheadPending]} failed: ${error.message}`;
    this.error ??= error;
    this.settle();
  }

  handleCopyInResponse(connection: { sendCopyFail(message: string): void }): void {
    // COPY FROM STDIN would need the client's data stream; the proxy refuses it before it gets here.
    connection.sendCopyFail('COPY FROM STDIN is not supported through the dry-run proxy');
  }

  handleCopyData(): void {}

  handleReadyForQuery(): void {
    this.settle();
  }

  private settle(): void {
    this.detach?.();
    if (this.error) this.reject(this.error);
    else this.resolve(this.result);
  }
}
