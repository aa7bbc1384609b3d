import type { Socket } from 'net';
import type { Statement } from '../../parse/sql';
import type { StatementFailure } from '../session';
import { transactionControl } from '../statement-policy';
import { backend, type ServerMessageFields } from './backend-messages';
import { ClientTransaction } from './client-transactions';
import type { FrontendMessage } from './frontend-messages';
import { acceptStartup } from './client-startup';
import { TransactionControl } from './transaction-control';
import type { DryRunSession } from '../session';
import { errorOf, type LiveStatements } from './live-statements';
import type { SavepointStack } from './client-transactions';
import type { StatementSources } from './statement-sources';
import { backendPid } from './backend-pid';
import { wireStatements } from './wire-statements';
import type { CopyInSink, CopyRelay } from './upstream-query';

/** What a client connection uses of the proxy that accepted it (proxy-server.ts). */
export interface ProxyContext {
  readonly session: DryRunSession;
  readonly live: LiveStatements;
  readonly savepoints: SavepointStack;
  readonly credentials: { user: string; password: string };
  readonly parameterStatus: ReadonlyMap<string, string>;
  /** Where each unit's statements begin, for the lines of the program that sent them. */
  readonly sources?: StatementSources;
  /** Waits for the turn to run a unit; the returned function gives it back. */
  turn(): Promise<() => void>;
  /** A rollback on `connection` ended other connections' transaction savepoints: set them again. */
  restoreOthers(connection: number, ended: { connection: number }[]): void;
}

interface Prepared {
  statements: Statement[];
  parameterTypes: number[];
}

interface Portal {
  prepared: Prepared;
  values: (string | Buffer | null)[];
}

/**
 * One connection the program opened to the proxy. After its startup (client-startup.ts) every message is this
 * class's. A unit (a simple Query, or the extended-protocol messages up to Sync) runs
 * while the connection holds the proxy's turn, so the statements of different connections interleave only
 * between units. Prepared statements and portals live here, per connection, and never reach the server by
 * their names: two connections may both prepare "s1".
 */
export class ClientConnection {
  readonly transaction: ClientTransaction;
  private readonly startup: { detach(): void };
  private readonly control: TransactionControl;
  private readonly prepared = new Map<string, Prepared>();
  private readonly portals = new Map<string, Portal>();
  private pending: FrontendMessage[] = [];
  /** After an error in an extended-protocol unit, the server ignores messages until Sync. */
  private skipping = false;
  /** The savepoint of a unit run outside the client's own transaction: an error undoes the whole unit, as PostgreSQL's implicit transaction does. */
  private unitSavepoint: string | undefined;
  private releaseTurn: (() => void) | undefined;
  /**
   * A portal whose Describe waits for its Execute, which answers it from the rows' own description: drivers
   * send Describe and Execute together (pg does for every parameterised query), and the server's answer to a
   * separate Describe would cost a round trip per statement.
   */
  private deferredPortal: string | undefined;
  /** The messages received and not yet handled, one after the other. */
  private inbox: Promise<void> = Promise.resolve();
  /** The server's side of the COPY FROM STDIN running now, waiting for this client's data. */
  private copyIn: CopyInSink | undefined;
  /**
   * A COPY FROM STDIN ran in this extended-protocol unit: PostgreSQL read the unit's Sync while it waited for the
   * data and ignored it, so the unit ends (ReadyForQuery) at the client's next Sync, the one libpq sends after
   * CopyDone or CopyFail.
   */
  private syncIgnoredByCopy = false;

  constructor(
    readonly socket: Socket,
    readonly number: number,
    private readonly proxy: ProxyContext,
  ) {
    this.transaction = new ClientTransaction(number, proxy.savepoints);
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const connection = this;
    this.control = new TransactionControl({
      number,
      transaction: this.transaction,
      get live() {
        return proxy.live;
      },
      send: (message) => connection.send(message),
      error: (code, message) => connection.error(code, message),
      undoFailed: () => connection.undoFailed(),
      restoreOthers: (ended) => proxy.restoreOthers(number, ended),
    });
    this.startup = acceptStartup(
      socket,
      { credentials: proxy.credentials, parameterStatus: proxy.parameterStatus, backendPid: backendPid(number) },
      (message) => this.queue(message),
    );
  }

  /** Handles the messages one after the other, each once the one before it is answered. */
  private queue(message: FrontendMessage): void {
    switch (message.type) {
      case 'copy-data':
      case 'copy-done':
      case 'copy-fail':
        return this.copy(message);
      case 'sync':
      case 'flush':
        // PostgreSQL ignores both in copy-in mode: clients send them without noticing that the command was a COPY.
        if (this.copyIn) return;
    }
    this.inbox = this.inbox.then(() => this.receive(message));
  }

  /**
   * The client's COPY data goes to the running COPY at once, not through the inbox: queued behind the statement
   * that waits for it, it would never arrive. Once the COPY has ended (the server stopped it at a bad row),
   * PostgreSQL drops the rest the client sends, and so does the proxy.
   */
  private copy(message: Extract<FrontendMessage, { type: 'copy-data' | 'copy-done' | 'copy-fail' }>): void {
    const sink = this.copyIn;
    if (!sink) return;
    if (message.type === 'copy-data') return sink.data(message.chunk);
    this.copyIn = undefined;
    if (message.type === 'copy-done') sink.done();
    else sink.fail(message.message);
  }

  private send(message: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(message);
  }

  /**
   * The answers to one message go out in one write, as a server's do: written one by one on a no-delay socket,
   * each would be a packet that wakes the program up (a parameterised INSERT's answer is five messages).
   */
  private async receive(message: FrontendMessage): Promise<void> {
    this.socket.cork();
    try {
      await this.answer(message);
    } finally {
      this.socket.uncork();
    }
  }

  private async answer(message: FrontendMessage): Promise<void> {
    switch (message.type) {
      case 'terminate':
        this.socket.end();
        return;
      case 'query':
        await this.withTurn(() => this.simpleQuery(message.text));
        this.endTurn();
        return;
      case 'sync':
      case 'flush': {
        const messages = this.pending;
        this.pending = [];
        await this.withTurn(async () => {
          for (const each of messages) await this.extended(each);
          await this.describeDeferredPortal();
        });
        const ignored = this.syncIgnoredByCopy;
        this.syncIgnoredByCopy = false;
        if (message.type === 'sync' && !ignored) {
          this.endUnit();
          this.skipping = false;
          this.send(backend.readyForQuery(this.transaction.status));
          this.endTurn();
        }
        return;
      }
      case 'unsupported':
        this.send(
          backend.error({
            severity: 'ERROR',
            code: '0A000',
            message: `preflight dry-run: protocol message '${message.code}' is not supported by the transaction proxy`,
          }),
        );
        return;
      default:
        this.pending.push(message);
    }
  }

  /** Waits for the proxy's turn (kept until the unit ends) and runs `work` in it. */
  private async withTurn(work: () => Promise<void>): Promise<void> {
    if (!this.releaseTurn) {
      this.releaseTurn = await this.proxy.turn();
      this.proxy.sources?.unitBegins(this.number, this.proxy.live.reports.length);
    }
    try {
      await work();
    } catch (error) {
      this.send(
        backend.error({ severity: 'FATAL', code: '08006', message: `preflight dry-run: ${(error as Error).message}` }),
      );
      this.socket.destroy();
    }
  }

  private endTurn(): void {
    const release = this.releaseTurn;
    this.releaseTurn = undefined;
    release?.();
  }

  private async simpleQuery(text: string): Promise<void> {
    const statements = wireStatements(text);
    if (statements.length === 0) this.send(backend.emptyQuery());
    for (const statement of statements) if (!(await this.runStatement(statement, [], [], 'simple'))) break;
    this.endUnit();
    this.skipping = false;
    this.send(backend.readyForQuery(this.transaction.status));
  }

  private async extended(message: FrontendMessage): Promise<void> {
    if (this.skipping) return;
    if (!(message.type === 'execute' && message.portal === this.deferredPortal)) await this.describeDeferredPortal();
    switch (message.type) {
      case 'parse': {
        if (message.name !== '' && this.prepared.has(message.name))
          return this.error('42P05', `prepared statement "${message.name}" already exists`);
        this.prepared.set(message.name, {
          statements: wireStatements(message.text),
          parameterTypes: message.parameterTypes,
        });
        return this.send(backend.parseComplete());
      }
      case 'bind': {
        const prepared = this.prepared.get(message.statement);
        if (!prepared) return this.error('26000', `prepared statement "${message.statement}" does not exist`);
        if (message.binaryResults)
          return this.error(
            '0A000',
            'preflight dry-run: results in binary format are not supported by the transaction proxy yet',
          );
        this.portals.set(message.portal, { prepared, values: message.values });
        return this.send(backend.bindComplete());
      }
      case 'describe': {
        const prepared =
          message.target === 'statement' ? this.prepared.get(message.name) : this.portals.get(message.name)?.prepared;
        if (!prepared)
          return this.error(
            message.target === 'statement' ? '26000' : '34000',
            `${message.target === 'statement' ? 'prepared statement' : 'portal'} "${message.name}" does not exist`,
          );
        const [statement] = prepared.statements;
        if (message.target === 'portal' && statement && !transactionControl(statement)) {
          this.deferredPortal = message.name;
          return;
        }
        return this.describe(prepared, message.target);
      }
      case 'execute': {
        const portal = this.portals.get(message.portal);
        if (!portal) return this.error('34000', `portal "${message.portal}" does not exist`);
        const [statement] = portal.prepared.statements;
        if (!statement) return this.send(backend.emptyQuery());
        const described = this.deferredPortal === message.portal;
        this.deferredPortal = undefined;
        const rows = described ? 'describe' : 'rows only';
        if (!(await this.runStatement(statement, portal.prepared.parameterTypes, portal.values, rows)))
          this.skipping = true;
        return;
      }
      case 'close':
        (message.target === 'statement' ? this.prepared : this.portals).delete(message.name);
        return this.send(backend.closeComplete());
    }
  }

  /** A portal's Describe not followed by its Execute is answered by the server after all. */
  private async describeDeferredPortal(): Promise<void> {
    const portal = this.deferredPortal === undefined ? undefined : this.portals.get(this.deferredPortal);
    this.deferredPortal = undefined;
    if (portal) await this.describe(portal.prepared, 'portal');
  }

  private async describe(prepared: Prepared, target: 'statement' | 'portal'): Promise<void> {
    const [statement] = prepared.statements;
    if (!statement || transactionControl(statement)) {
      if (target === 'statement') this.send(backend.parameterDescription([]));
      return this.send(backend.noData());
    }
    // The server parses the statement to describe it: a statement it cannot parse (a missing table) fails here,
    // before any Execute, and that error aborts the transaction like any other.
    this.setUnitSavepoint();
    try {
      const described = await this.proxy.session.describeWire(statement.text, prepared.parameterTypes);
      if (target === 'statement') this.send(backend.parameterDescription(described.parameterTypes ?? []));
      this.send(described.columns ? backend.rowDescription(described.columns) : backend.noData());
    } catch (error) {
      const failure = error as StatementFailure;
      this.proxy.live.record(this.number, statement, 'error', { error: errorOf(failure) });
      this.serverError(failure);
      await this.undoFailed();
      this.skipping = true;
    }
  }

  /**
   * Runs or answers one statement; false when it failed (the rest of the unit is not run). `rows`: a simple
   * query describes its rows when it has any; an Execute whose Describe was deferred answers it (RowDescription
   * or NoData) before its rows; any other Execute sends only rows.
   */
  private async runStatement(
    statement: Statement,
    parameterTypes: number[],
    values: (string | Buffer | null)[],
    rows: 'simple' | 'describe' | 'rows only',
  ): Promise<boolean> {
    const { live } = this.proxy;
    if (!statement.node && !statement.syntaxError) {
      this.send(backend.emptyQuery());
      return true;
    }
    const control = statement.node ? transactionControl(statement) : undefined;
    if (this.transaction.aborted && !(control && ['commit', 'rollback', 'rollback-to'].includes(control.kind))) {
      live.record(this.number, statement, 'skipped', {
        reason: "not sent: this connection's transaction had failed, so PostgreSQL ignores commands until ROLLBACK",
      });
      this.error('25P02', 'current transaction is aborted, commands ignored until end of transaction block');
      return false;
    }
    if (control) return this.control.answer(statement, control.kind);
    const verdict = await live.judge(this.number, statement, this.transaction.open);
    if (verdict.kind === 'refuse') {
      this.send(backend.error(verdict.error));
      return false;
    }
    if (verdict.kind === 'pretend') {
      if (rows === 'describe') this.send(backend.noData());
      this.send(backend.commandComplete(verdict.tag));
      return true;
    }
    this.setUnitSavepoint();
    if (rows === 'describe' && statement.type === 'CopyStmt') {
      // PostgreSQL describes a COPY portal as NoData, which must come before the COPY's own messages.
      this.send(backend.noData());
      rows = 'rows only';
    }
    try {
      const run = await live.run(this.number, statement, parameterTypes, values, this.copyRelay(rows));
      for (const notice of run.notices)
        this.send(
          backend.notice({
            severity: notice.severity ?? 'NOTICE',
            code: notice.code ?? '00000',
            message: notice.message ?? '',
            detail: notice.detail,
            hint: notice.hint,
          }),
        );
      if (rows !== 'rows only' && run.result.columns) this.send(backend.rowDescription(run.result.columns));
      else if (rows === 'describe') this.send(backend.noData());
      for (const row of run.result.rows) this.send(backend.dataRow(row));
      this.send(run.result.command === null ? backend.emptyQuery() : backend.commandComplete(run.result.command));
      return true;
    } catch (error) {
      this.serverError(error as StatementFailure);
      await this.undoFailed();
      return false;
    } finally {
      this.copyIn = undefined;
    }
  }

  /** A COPY's messages between the server and this client, as the statement runs. */
  private copyRelay(rows: 'simple' | 'describe' | 'rows only'): CopyRelay {
    return {
      copyIn: (response, sink) => {
        this.copyIn = sink;
        if (rows !== 'simple') this.syncIgnoredByCopy = true;
        this.send(backend.copyInResponse(response.binary, response.columnTypes));
        // The client sends its data only once it has this answer: it goes out now, not when the statement ends.
        this.socket.uncork();
        this.socket.cork();
      },
      copyOut: (response) => this.send(backend.copyOutResponse(response.binary, response.columnTypes)),
      copyData: (chunk) => this.send(backend.copyData(chunk)),
      copyDone: () => this.send(backend.copyDone()),
    };
  }

  /** Before the first statement of a unit outside the client's own transaction reaches the server (see unitSavepoint). */
  private setUnitSavepoint(): void {
    if (!this.transaction.open) this.unitSavepoint ??= this.proxy.savepoints.set(this.number, 'unit');
  }

  /** A failed statement leaves the dry-run's transaction aborted: undo to the unit's or the client transaction's savepoint. */
  private async undoFailed(): Promise<void> {
    if (this.proxy.session.lost) return;
    if (this.transaction.open) {
      this.proxy.restoreOthers(this.number, await this.transaction.fail());
      const failed = this.proxy.live.reports[this.proxy.live.reports.length - 1];
      if (failed?.connection === this.number) this.control.warnOthersUndone(failed);
    } else if (this.unitSavepoint) {
      this.proxy.restoreOthers(this.number, await this.proxy.savepoints.rollbackTo(this.unitSavepoint));
      this.proxy.savepoints.release(this.unitSavepoint);
      this.unitSavepoint = undefined;
    }
  }

  private endUnit(): void {
    if (this.unitSavepoint && !this.proxy.session.lost) this.proxy.savepoints.release(this.unitSavepoint);
    this.unitSavepoint = undefined;
  }

  private error(code: string, message: string): void {
    this.send(backend.error({ severity: 'ERROR', code, message }));
    this.skipping = true;
  }

  private serverError(failure: StatementFailure & Partial<ServerMessageFields>): void {
    this.send(
      backend.error({
        severity: 'ERROR',
        code: failure.code ?? '08006',
        message: failure.message,
        detail: failure.detail,
        hint: failure.hint,
        position: failure.position,
        where: failure.where,
        schema: failure.schema,
        table: failure.table,
        column: failure.column,
        constraint: failure.constraint,
      }),
    );
  }

  /** The program closed the connection (or it broke): PostgreSQL rolls back an open transaction of that session. */
  async disconnected(): Promise<void> {
    this.abortCopyIn('the client connection closed during COPY');
    await this.inbox;
    if (!this.transaction.open || this.proxy.session.lost) return this.endTurn();
    await this.withTurn(async () => this.proxy.restoreOthers(this.number, await this.transaction.rollback()));
    this.endTurn();
  }

  /** A COPY waiting for data that will never come ends, as PostgreSQL ends it when its client goes away. */
  private abortCopyIn(reason: string): void {
    this.copy({ type: 'copy-fail', message: `preflight dry-run: ${reason}` });
  }

  /** The dry-run is over. */
  close(): void {
    this.abortCopyIn('the dry-run ended during COPY');
    this.startup.detach();
    this.socket.destroy();
    this.endTurn();
  }
}
