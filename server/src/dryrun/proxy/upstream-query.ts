import type { Connection } from 'pg';
import type {
  CopyDataMessage,
  CopyResponse,
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
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
};

/** The server's COPY is ready for the client's data: where the client's CopyData, CopyDone and CopyFail go. */
export interface CopyInSink {
  data(chunk: Buffer): void;
  done(): void;
  fail(message: string): void;
}

/**
 * The client side of a COPY the statement turns out to be (COPY ... FROM STDIN, COPY ... TO STDOUT): the server's
 * CopyInResponse or CopyOutResponse (text or binary, per column), the rows it copies out, and its CopyDone, as
 * they come, so the client streams them as it would from the server.
 */
export interface CopyRelay {
  copyIn(response: CopyResponse, sink: CopyInSink): void;
  copyOut(response: CopyResponse): void;
  copyData(chunk: Buffer): void;
  copyDone(): void;
}

/** How an UpstreamQuery is sent, besides the statement itself. */
export interface UpstreamOptions {
  /** Stop after Describe: the statement's parameter types and columns, without running it. */
  describeOnly?: boolean;
  /**
   * Savepoint commands sent first in the same write, each parsed, bound and executed before the statement (an error
   * in one skips the rest, as any error before Sync does).
   */
  ahead?: readonly string[];
  /** Where a COPY's messages go, if the statement turns out to be one. */
  copy?: CopyRelay;
}

/** Parse, Bind, Describe, Execute, Sync in one round trip on the unnamed statement and portal. */
export class UpstreamQuery {
  readonly done: Promise<WireResult>;
  private resolve!: (result: WireResult) => void;
  private reject!: (error: Error) => void;
  private readonly result: WireResult = { columns: null, rows: [], command: null, rowCount: null };
  private error: Error | undefined;
  private detach: (() => void) | undefined;
  /** The CommandCompletes still to come for the `ahead` commands, before the statement's own. */
  private aheadPending: number;
  /**
   * The server is in copy-in mode for this statement and owes its ReadyForQuery a Sync of ours: it reads and
   * ignores the Sync sent with Execute while it waits for the data (PostgreSQL ignores Sync and Flush in copy-in
   * mode), so one more Sync must follow the CopyDone or CopyFail, or the error that ends the COPY, as libpq
   * sends one after PQputCopyEnd.
   */
  private copyInOpen = false;

  private readonly describeOnly: boolean;
  private readonly ahead: readonly string[];
  private readonly copy: CopyRelay | undefined;

  constructor(
    private readonly text: string,
    private readonly parameterTypes: number[],
    private readonly values: (string | Buffer | null)[],
    options: UpstreamOptions = {},
  ) {
    this.describeOnly = options.describeOnly ?? false;
    this.ahead = options.ahead ?? [];
    this.copy = options.copy;
    this.aheadPending = this.ahead.length;
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: PgConnection): void {
    // pg's Client hands a query neither the formats of a CopyInResponse nor a CopyOutResponse or CopyDone at all:
    // they are read from its connection's events.
    const listeners: Record<string, Parameters<PgConnection['on']>[1]> = {
      parameterDescription: (message: ParameterDescriptionMessage) =>
        (this.result.parameterTypes = message.dataTypeIDs),
      copyInResponse: (message: CopyResponse) => this.copyInBegins(connection, message),
      copyOutResponse: (message: CopyResponse) => this.copy?.copyOut(message),
      copyDone: () => this.copy?.copyDone(),
    };
    for (const [event, listener] of Object.entries(listeners)) connection.on(event, listener);
    this.detach = () => {
      for (const [event, listener] of Object.entries(listeners)) connection.removeListener(event, listener);
    };
    // One write for the five messages, as pg's own queries do: each write on a no-delay socket is a packet the
    // server wakes up for.
    const stream = streamOf(connection);
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
  handleError(error: DatabaseError | Error, connection: PgConnection): void {
    if (this.aheadPending > 0)
      error.message = `preflight dry-run: ${this.ahead[this.ahead.length - this.aheadPending]} failed: ${error.message}`;
    this.error ??= error;
    if (this.copyInOpen) {
      // The server ended copy-in mode with this error and now discards messages until a Sync.
      this.copyInOpen = false;
      connection.sync();
    }
    this.settle();
  }

  /** Answered from the connection's copyInResponse event instead, which carries the formats the client needs. */
  handleCopyInResponse(): void {}

  private copyInBegins(connection: PgConnection, response: CopyResponse): void {
    this.copyInOpen = true;
    const end = (send: () => void) => {
      if (!this.copyInOpen) return;
      this.copyInOpen = false;
      send();
      connection.sync();
    };
    const stream = streamOf(connection);
    let batching = false;
    const sink: CopyInSink = {
      // After the server ended the COPY (an error in the data), it drops what the client still sends: so does this.
      data: (chunk) => {
        if (!this.copyInOpen) return;
        // Clients send a CopyData per row (postgres-js, psql per line): the rows of one read from the client go
        // to the server in one write, not one system call each.
        if (!batching) {
          batching = true;
          stream.cork();
          process.nextTick(() => {
            batching = false;
            stream.uncork();
          });
        }
        connection.sendCopyFromChunk(chunk);
      },
      done: () => end(() => connection.endCopyFrom()),
      fail: (message) => end(() => connection.sendCopyFail(message)),
    };
    if (this.copy) this.copy.copyIn(response, sink);
    else sink.fail('preflight dry-run: no client to copy the data from');
  }

  handleCopyData(message: CopyDataMessage): void {
    this.copy?.copyData(message.chunk);
  }

  handleReadyForQuery(): void {
    this.settle();
  }

  private settle(): void {
    this.detach?.();
    if (this.error) this.reject(this.error);
    else this.resolve(this.result);
  }
}

function streamOf(connection: PgConnection): { cork(): void; uncork(): void } {
  return (connection as unknown as { stream: { cork(): void; uncork(): void } }).stream;
}
