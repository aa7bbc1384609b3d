import { Client, ClientConfig, Query, QueryResult, QueryResultRow } from 'pg';
import { type CopyRelay, UpstreamQuery, WireResult } from './proxy/upstream-query';

/**
 * The dry-run's one database connection, plus a second "monitor" connection opened only when needed: to
 * cancel the running statement (`pg_cancel_backend` must come from another session) and to see who
 * holds a lock the statement waits for.
 */
export class DryRunSession {
  private collecting: ServerNotice[] | undefined;
  private lostError: Error | undefined;
  /** Transaction control waiting to go out ahead of the next query (`sendAhead`). */
  private ahead: string[] = [];
  private monitor: Promise<Client> | undefined;

  private constructor(
    private readonly client: Client,
    private readonly config: ClientConfig,
    readonly pid: number,
  ) {
    client.on('notice', (notice) => this.collecting?.push(notice));
  }

  /** Connects; throws pg's error (the caller turns it into a one-line DryRunError). */
  static async open(config: ClientConfig): Promise<DryRunSession> {
    const client = new Client({ ...config, application_name: APPLICATION_NAME });
    const errors: Error[] = [];
    client.on('error', (error) => errors.push(error));
    await client.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_catalog.pg_backend_pid() AS pid');
    const session = new DryRunSession(client, config, rows[0].pid);
    client.removeAllListeners('error');
    // The server may end the connection at any time (pg_terminate_backend, a restart): remember why.
    client.on('error', (error) => (session.lostError ??= error));
    client.on('end', () => (session.lostError ??= new Error('the server closed the connection')));
    return session;
  }

  /** The port the server listens on, from the config, connection string or PGPORT pg resolved. */
  get serverPort(): number {
    return this.client.port;
  }

  /** Set once the connection is gone: the server has rolled the transaction back. */
  get lost(): Error | undefined {
    return this.lostError;
  }

  /** `T` in a transaction, `E` in a failed one, `I` idle (no transaction), as the server last reported. */
  get transactionStatus(): string | null {
    return this.client.getTransactionStatus();
  }

  /**
   * Runs Preflight's own SQL (snapshots, savepoints). Notices it raises are not the script's. `single`
   * sends it with the extended protocol, which refuses a second statement: for SQL that embeds the
   * script's text (EXPLAIN).
   */
  async internal<R extends QueryResultRow = QueryResultRow>(
    sql: string,
    values?: unknown[],
    options: { single?: boolean } = {},
  ): Promise<QueryResult<R>> {
    await this.flushAhead();
    if (options.single) return this.client.query<R>({ text: sql, values, queryMode: 'extended' } as { text: string });
    return this.client.query<R>(sql, values);
  }

  /**
   * Queues a savepoint command (SAVEPOINT, RELEASE SAVEPOINT) that cannot fail where it is queued, to go out with
   * the next query in the same write: the transaction proxy sets and releases a savepoint around every statement a
   * program runs outside its own transaction, and each would otherwise be a round trip of its own.
   */
  sendAhead(sql: string): void {
    this.ahead.push(sql);
  }

  /** Drops what `sendAhead` queued: before the dry-run's ROLLBACK, which ends every savepoint anyway. */
  discardAhead(): void {
    this.ahead = [];
  }

  private takeAhead(): string[] {
    const ahead = this.ahead;
    this.ahead = [];
    return ahead;
  }

  private async flushAhead(): Promise<void> {
    const ahead = this.takeAhead();
    if (ahead.length > 0) await this.client.query(ahead.join('; '));
  }

  /**
   * Runs one statement of the script. The extended query protocol accepts exactly one statement per
   * message, so text that somehow holds a second statement (a `COMMIT` after a `;`) is refused by the
   * server instead of run. COPY FROM STDIN gets its data lines from the script.
   */
  async execute(text: string, copyData?: string): Promise<StatementRun> {
    await this.flushAhead();
    return this.timed(() =>
      copyData === undefined
        ? this.client.query({ text, queryMode: 'extended' } as { text: string })
        : this.copyFrom(text, copyData),
    );
  }

  /**
   * Runs one statement a client sent through the transaction proxy, with the client's parameter types and
   * values, and returns its rows as the server's text. Like `execute`, the extended protocol refuses a second
   * statement in the text. A COPY's data goes between the server and the client through `copy`.
   */
  executeWire(
    text: string,
    parameterTypes: number[],
    values: (string | Buffer | null)[],
    copy: CopyRelay,
  ): Promise<WireRun> {
    return this.timed(() => {
      const query = new UpstreamQuery(text, parameterTypes, values, { ahead: this.takeAhead(), copy });
      this.client.query(query as never);
      return query.done;
    });
  }

  /** Runs one query, collecting the notices it raises and timing it; a failure carries both too. */
  private async timed<R>(run: () => Promise<R>): Promise<{ result: R; notices: ServerNotice[]; durationMs: number }> {
    const notices: ServerNotice[] = [];
    this.collecting = notices;
    const started = process.hrtime.bigint();
    const finish = () => {
      this.collecting = undefined;
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    try {
      const result = await run();
      return { result, notices, durationMs: finish() };
    } catch (error) {
      const durationMs = finish();
      throw Object.assign(error as Error, { notices, durationMs });
    }
  }

  /** The parameter types and columns of a statement a client prepared through the proxy, without running it. */
  describeWire(text: string, parameterTypes: number[]): Promise<WireResult> {
    const query = new UpstreamQuery(text, parameterTypes, [], { describeOnly: true, ahead: this.takeAhead() });
    this.client.query(query as never);
    return query.done;
  }

  private copyFrom(text: string, data: string): Promise<QueryResult> {
    return new Promise((resolve, reject) => {
      this.client.query(
        new CopyFromScript(text, data, (error, result) => (error ? reject(error) : resolve(result as QueryResult))),
      );
    });
  }

  /**
   * Cancels whatever query runs now (it fails with SQLSTATE 57014); a backend that is idle in the
   * transaction ignores the request, and the caller stops before its next statement.
   */
  async cancelRunning(): Promise<void> {
    if (this.lostError) return;
    const monitor = await this.monitorClient();
    await monitor.query('SELECT pg_catalog.pg_cancel_backend($1)', [this.pid]);
  }

  /** Ends the dry-run's session from the monitor connection: PostgreSQL rolls its transaction back and releases its locks. */
  async terminate(): Promise<void> {
    if (this.lostError) return;
    const monitor = await this.monitorClient();
    await monitor.query('SELECT pg_catalog.pg_terminate_backend($1)', [this.pid]);
  }

  /** How long the running statement has waited for the lock it waits for now (by the server's clock), if it waits. */
  async lockWaitMs(): Promise<number | undefined> {
    if (this.lostError) return undefined;
    const monitor = await this.monitorClient();
    // pg_locks.waitstart is new in PostgreSQL 14; on older servers the query fails and the caller sees nothing.
    const { rows } = await monitor.query<{ ms: number | null }>(
      `SELECT (EXTRACT(epoch FROM pg_catalog.clock_timestamp() - pg_catalog.min(waitstart)) * 1000)::float8 AS ms
         FROM pg_catalog.pg_locks WHERE pid = $1 AND NOT granted`,
      [this.pid],
    );
    return rows[0]?.ms ?? undefined;
  }

  /**
   * Runs a read on the monitor connection, outside the dry-run's transaction: it sees what is committed, the
   * database as it was before the dry-run (which commits nothing). A table the dry-run's transaction holds ACCESS
   * EXCLUSIVE cannot be read there until the rollback, so a lock is waited for one second at most.
   */
  async readCommitted<R extends QueryResultRow = QueryResultRow>(sql: string): Promise<R[]> {
    const monitor = await this.monitorClient();
    try {
      const results = (await monitor.query(
        `BEGIN READ ONLY; SET LOCAL lock_timeout = '1s'; ${sql}; COMMIT`,
      )) as unknown as QueryResult<R>[];
      return results[2].rows;
    } catch (error) {
      await monitor.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Opens the monitor connection now rather than when it is first needed. */
  async openMonitor(): Promise<void> {
    await this.monitorClient();
  }

  /** Sessions holding a lock that the running statement waits for. */
  async blockers(): Promise<{ pid: number; query: string; state: string | null }[]> {
    if (this.lostError) return [];
    const monitor = await this.monitorClient();
    const { rows } = await monitor.query<{ pid: number; query: string; state: string | null }>(
      `SELECT a.pid, pg_catalog.left(a.query, 200) AS query, a.state
         FROM pg_catalog.pg_stat_activity a
        WHERE a.pid = ANY (pg_catalog.pg_blocking_pids($1))`,
      [this.pid],
    );
    return rows;
  }

  private monitorClient(): Promise<Client> {
    this.monitor ??= (async () => {
      const client = new Client({ ...this.config, application_name: `${APPLICATION_NAME} (monitor)` });
      client.on('error', () => undefined);
      await client.connect();
      return client;
    })();
    return this.monitor;
  }

  async close(): Promise<void> {
    const monitor = this.monitor;
    this.monitor = undefined;
    await Promise.all([
      this.client.end().catch(() => undefined),
      monitor?.then((client) => client.end()).catch(() => undefined),
    ]);
  }
}

/** A NOTICE or WARNING the server sent while a statement ran. */
export interface ServerNotice {
  severity?: string;
  code?: string;
  message?: string;
  detail?: string;
  hint?: string;
}

/** What DBAs see in `pg_stat_activity` while a dry-run runs. */
export const APPLICATION_NAME = 'preflight dry-run';

/** Why the watchdog (watchdog.ts) stopped a statement: a limit the script lifted inside it, or the whole run's time limit. */
export type WatchdogCause = 'statement_timeout' | 'lock_timeout' | 'dry-run-timeout';

export interface WireRun {
  result: WireResult;
  notices: ServerNotice[];
  durationMs: number;
}

export interface StatementRun {
  result: QueryResult;
  notices: ServerNotice[];
  durationMs: number;
}

/** A statement's failure as `execute` throws it: pg's error plus what was collected while it ran. */
export type StatementFailure = Error & {
  code?: string;
  detail?: string;
  hint?: string;
  position?: string;
  where?: string;
  notices?: ServerNotice[];
  durationMs?: number;
  /** Set when the dry-run's watchdog stopped the statement, and why. */
  watchdog?: WatchdogCause;
};

type CopyInConnection = { sendCopyFromChunk(chunk: Buffer): void; endCopyFrom(): void };

/** `COPY ... FROM STDIN` whose data lines are part of the script (psql's convention, ended by `\.`). */
class CopyFromScript extends Query {
  constructor(
    text: string,
    private readonly data: string,
    callback: (error: Error | undefined, result: unknown) => void,
  ) {
    super(text, undefined, callback);
  }

  handleCopyInResponse(connection: CopyInConnection): void {
    connection.sendCopyFromChunk(Buffer.from(this.data, 'utf8'));
    connection.endCopyFrom();
  }
}
