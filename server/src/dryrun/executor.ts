import { describeOperation } from '../lint/describe';
import type { MigrationFile, Operation } from '../parse/migration';
import type { Statement } from '../parse/sql';
import type { Span } from '../parse/text';
import type { TransactionBlock } from '../parse/transactions';
import { doBlockErrorSpan, errorSpan, fileRange } from './file-positions';
import { LockTracker, lockTaken } from './lock-tracker';
import { RolledBackTransaction } from './transaction-frame';
import { inspectPlan } from './plan';
import {
  DryRunOutcome,
  DryRunReport,
  Notice,
  SideEffect,
  StatementError,
  StatementReport,
} from '../../../shared/protocol';
import type { DryRunSession, ServerNotice, StatementFailure, StatementRun, WatchdogCause } from './session';
import { backwardSequenceMoves } from './sequence-moves';
import type { SessionLimits } from './session-limits';
import { SequencePositions, foreignTableTargets, hasForeignTables, notifySideEffects } from './side-effects';
import { EscapeAnalysis } from './escaping-effects';
import {
  ScriptTransactionControl,
  Substitute,
  isExplainable,
  isSetTransaction,
  outsideTransaction,
  runTimeValues,
  transactionControl,
} from './statement-policy';
import type { Watchdog } from './watchdog';
import type { FrontEndWording } from './wording';

/** One thing of the migration to dry-run: a SQL statement (with its COPY data) or an ORM call. */
export interface ExecutionUnit {
  operation: Operation;
  statement?: Statement;
  /** The data lines of `COPY ... FROM stdin` in a psql script. */
  copyData?: string;
}

export interface ExecutionOptions {
  session: DryRunSession;
  file: MigrationFile;
  units: ExecutionUnit[];
  lockTimeout: string;
  statementTimeout: string;
  /** The whole run's time limit (`--timeout`), enforced by the watchdog; `0` for none. */
  timeLimit: string;
  allowSideEffects: boolean;
  /** How the front end tells its user to lift a refusal. */
  wording: FrontEndWording;
  /** Run the plain form of CREATE/DROP INDEX CONCURRENTLY & co. in a savepoint to show locks and errors. */
  nonConcurrentForms: boolean;
  seqScanThreshold: number;
  /**
   * A connected server, or the embedded one whose shadow database is thrown away afterwards and whose
   * dry-run role cannot reach outside its database: only on a server do dead row versions matter, and are a
   * backwards setval and a statement whose effects cannot be decided before it runs refused.
   */
  databaseKind: 'server' | 'embedded';
  formatSql: (text: string) => string;
  signal?: AbortSignal;
  onProgress?: (event: { message: string; done?: number; total?: number }) => void;
}

export interface Execution {
  outcome: DryRunOutcome;
  statements: StatementReport[];
  sideEffects: SideEffect[];
  interrupted?: DryRunReport['interrupted'];
}

/**
 * Runs a migration's statements on one connection in one transaction that is always rolled back. The
 * script's own BEGIN/COMMIT/ROLLBACK are emulated with savepoints and commit checks, never sent; after the
 * first error the rest is `not-run`, as with psql's ON_ERROR_STOP.
 */
export async function executeScript(options: ExecutionOptions): Promise<Execution> {
  return new ScriptRun(options).execute();
}

class ScriptRun {
  private readonly reports: StatementReport[];
  private readonly sideEffects: SideEffect[] = [];
  private readonly blockOf = new Map<Operation, TransactionBlock>();
  private tracker!: LockTracker;
  /** The script's transaction that is open now: a runner's per-migration one or the script's own BEGIN. */
  private open: { block: TransactionBlock; savepoint?: string; last?: StatementReport } | undefined;
  private savepoints = 0;
  private stopped = false;
  private cancelled = false;
  private interrupted: DryRunReport['interrupted'];
  private foreignTables = false;
  /** The dry-run's limits; the script may lower them but not lift them. */
  private limits!: SessionLimits;
  private watchdog: Watchdog | undefined;
  /** BEGIN to ROLLBACK, once it has begun. */
  private frame: RolledBackTransaction | undefined;
  /** Sequence positions before the run, read outside its transaction. */
  private sequencesBefore: SequencePositions | undefined;
  private readonly advisoryTakenBy = new Map<string, number>();
  /** The deferrable constraints, read at the first commit point and again after any statement that may change them. */
  private deferrable: DeferrableConstraints | undefined;
  /** Row versions written to tables that existed before, by table: dead once the transaction rolls back. */
  private readonly deadRows = new Map<string, number>();
  /** Knows the functions the script created so far, to refuse calls of those whose bodies escape. */
  private readonly escapeAnalysis = new EscapeAnalysis();

  constructor(private readonly options: ExecutionOptions) {
    const { file } = options;
    for (const block of file.transactions) for (const operation of block.operations) this.blockOf.set(operation, block);
    this.reports = options.units.map((unit, index) => initialReport(unit, index, file));
  }

  async execute(): Promise<Execution> {
    const { session, signal, units } = this.options;
    const onAbort = () => {
      this.cancelled = true;
      session.cancelRunning().catch(() => undefined);
    };
    signal?.addEventListener('abort', onAbort);
    let internalError: unknown;
    try {
      const { lockTimeout, statementTimeout, timeLimit } = this.options;
      this.frame = await RolledBackTransaction.begin(session, { lockTimeout, statementTimeout, timeLimit });
      this.limits = this.frame.limits;
      this.tracker = this.frame.tracker;
      this.watchdog = this.frame.watchdog;
      this.sequencesBefore = this.frame.sequencesBefore;
      this.foreignTables =
        (await hasForeignTables(session)) || units.some((unit) => unit.statement?.type === 'CreateForeignTableStmt');
      for (let i = 0; i < units.length && !this.stopped; i++) {
        if (this.cancelled || signal?.aborted) {
          this.cancelled = true;
          break;
        }
        if (this.watchdog.expired) break;
        await this.step(i);
      }
      if (!this.stopped && !this.cancelled && !this.watchdog.expired) await this.closeBlock();
    } catch (error) {
      if (!session.lost && !this.cancelled && !this.watchdog?.expired) internalError = error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await this.finish();
    }
    if (this.watchdog?.expired && this.interrupted?.reason !== 'timeout') {
      this.interrupted = {
        reason: 'timeout',
        message: `${this.timeLimitPassed()}; nothing after it ran: rolled back, nothing committed`,
      };
    }
    if (session.lost && !this.interrupted)
      this.interrupted = { reason: 'connection-lost', message: lostMessage(session.lost) };
    if (this.cancelled)
      this.interrupted ??= { reason: 'cancelled', message: 'cancelled: the transaction was rolled back' };
    if (internalError && !this.interrupted) throw internalError;
    units.forEach((unit, i) => {
      if (unit.statement && unit.statement.kind !== 'psql-command')
        this.reports[i].sql = this.options.formatSql(unit.statement.text);
    });
    const failed = this.reports.some((report) => report.status === 'error') || this.interrupted !== undefined;
    return {
      outcome: this.cancelled ? 'cancelled' : failed ? 'failed' : 'ok',
      statements: this.reports,
      sideEffects: this.sideEffects,
      interrupted: this.interrupted,
    };
  }

  private async step(index: number): Promise<void> {
    const { units, onProgress } = this.options;
    const unit = units[index];
    const report = this.reports[index];
    onProgress?.({ message: `line ${report.line}: ${firstLine(unit)}`, done: index, total: units.length });
    const block = this.blockOf.get(unit.operation);
    if (this.open && block !== this.open.block) {
      await this.closeBlock();
      if (this.stopped) return;
    }
    if (block && !this.open) await this.openBlock(block);
    await this.runUnit(unit, report, block);
    // Only schema changes create or drop constraints; data changes leave the list as it was.
    if (unit.operation.effect !== 'dml') this.deferrable = undefined;
    if (this.open && this.open.block === block) this.open.last = report;
  }

  /** A script's ROLLBACK undoes its block: only then does the block need a savepoint to return to. */
  private async openBlock(block: TransactionBlock): Promise<void> {
    const last = block.operations[block.operations.length - 1];
    let savepoint: string | undefined;
    if (last.transactionAction === 'rollback') {
      savepoint = `preflight_block_${++this.savepoints}`;
      await this.options.session.internal(`SAVEPOINT ${savepoint}`);
    }
    this.open = { block, savepoint };
  }

  /**
   * The end of one of the script's transactions, where a real run commits. COMMIT runs the deferred
   * constraint checks and deferred constraint triggers; `SET CONSTRAINTS ALL IMMEDIATE` runs them now, so
   * their errors (and the audit rows they write) appear where the real run would hit them, and a later
   * ALTER TABLE does not fail on "pending trigger events" that a real COMMIT would have flushed. Then the
   * deferrable constraints go back to their defaults, as in a new transaction.
   */
  private async closeBlock(blame?: StatementReport): Promise<void> {
    const open = this.open;
    if (!open) return;
    this.open = undefined;
    await this.runCommitChecks(blame ?? open.last);
    if (!this.stopped && open.savepoint) await this.options.session.internal(`RELEASE SAVEPOINT ${open.savepoint}`);
  }

  private async runCommitChecks(report: StatementReport | undefined): Promise<void> {
    const { session } = this.options;
    this.deferrable ??= await deferrableConstraints(session);
    if (!this.deferrable.any) return;
    try {
      const run = await this.runScriptSql(report, 'SET CONSTRAINTS ALL IMMEDIATE');
      if (report) report.notices.push(...run.notices.map(notice));
    } catch (error) {
      if (report) {
        this.fail(report, undefined, error);
        if (report.error) report.error.atCommit = true;
      } else this.stopped = true;
      return;
    }
    if (this.deferrable.initiallyDeferred)
      await session.internal(`SET CONSTRAINTS ${this.deferrable.initiallyDeferred} DEFERRED`);
    if (report) this.addObservation(report, await this.tracker.observe());
  }

  private async runUnit(
    unit: ExecutionUnit,
    report: StatementReport,
    block: TransactionBlock | undefined,
  ): Promise<void> {
    const { statement } = unit;
    if (!statement) {
      return skip(
        report,
        `${describeOperation(unit.operation)}: an ORM or query-builder call has no SQL a dry-run can run; statements that depend on it may fail`,
      );
    }
    if (statement.kind === 'psql-command')
      return skip(report, 'a psql meta-command: psql acts on it itself, the server never sees it');
    const unrunnable = runTimeValues(statement);
    if (unrunnable) return skip(report, `cannot run as written: ${unrunnable}`);
    const control = transactionControl(statement);
    if (control) return this.scriptTransaction(control, unit, report, block);
    if (isSetTransaction(statement)) {
      return skip(
        report,
        "SET TRANSACTION must come first in a transaction; the dry-run's transaction has already begun, so its settings (READ COMMITTED) apply",
      );
    }
    const { escapes, undecidable } = this.escapeAnalysis.check(statement);
    if (escapes.length > 0 && !this.options.allowSideEffects) {
      return skip(
        report,
        `refused: ${escapes.join('; ')}, which ROLLBACK cannot undo (${this.options.wording.allowSideEffects})`,
      );
    }
    if (this.options.databaseKind === 'server' && !this.options.allowSideEffects) {
      if (undecidable.length > 0) {
        return skip(
          report,
          `refused: what it runs cannot be known before it runs (${undecidable.join('; ')}), and on this database it could have effects ROLLBACK cannot undo (${this.options.wording.allowSideEffects})`,
        );
      }
      const moves = await backwardSequenceMoves(statement, this.options.session, this.sequencesBefore);
      if (moves.length > 0)
        return skip(report, `refused: ${moves.join('; ')} (${this.options.wording.allowSideEffects})`);
    }
    const outside = outsideTransaction(statement);
    if (outside && !this.runsInScriptTransaction(unit, block))
      return this.substitute(unit, report, outside.reason, outside.substitute);
    const foreign = await this.foreignWrites(unit);
    const refusedForeign = foreign.filter((target) => target.wrapper !== 'postgres_fdw');
    if (refusedForeign.length > 0 && !this.options.allowSideEffects) {
      return skip(
        report,
        `refused: writes ${refusedForeign.map((t) => `${t.relation} through ${t.wrapper}`).join(', ')}, a foreign data wrapper that may not take part in ROLLBACK (${this.options.wording.allowSideEffects})`,
      );
    }
    await this.runStatement(unit, statement, report);
    if (report.status !== 'ok') return;
    for (const effect of escapes)
      this.sideEffects.push({
        kind: 'external',
        object: firstLine(unit),
        detail: `${effect}; it ran because side effects were allowed, and ROLLBACK did not undo it`,
        statementIndex: report.index,
      });
    for (const reason of this.options.databaseKind === 'server' ? undecidable : []) {
      this.sideEffects.push({
        kind: 'external',
        object: firstLine(unit),
        detail: `${reason}: it ran because side effects were allowed, and ROLLBACK did not undo whatever it did outside the database`,
        statementIndex: report.index,
      });
    }
    for (const target of foreign) {
      this.sideEffects.push({
        kind: 'foreign-table',
        object: target.relation,
        detail:
          target.wrapper === 'postgres_fdw'
            ? `written through postgres_fdw on server ${target.server}: rolled back with the dry-run, but the remote server ran the writes (its locks and triggers) meanwhile`
            : `written through ${target.wrapper} on server ${target.server}, which may not roll back`,
        statementIndex: report.index,
      });
    }
    this.sideEffects.push(...notifySideEffects(statement, report.index));
    this.countDeadRows(unit, statement, report);
  }

  /**
   * An INSERT, COPY or UPDATE writes new row versions; after ROLLBACK they are dead and take up space until
   * VACUUM removes them (a DELETE's rows simply stay alive). On a big table a dry-run of a backfill leaves as
   * much bloat as the backfill itself would.
   */
  private countDeadRows(unit: ExecutionUnit, statement: Statement, report: StatementReport): void {
    if (
      this.options.databaseKind !== 'server' ||
      !report.rowCount ||
      unit.operation.effect !== 'dml' ||
      !WRITES_ROW_VERSIONS.has(statement.type ?? '')
    )
      return;
    const table = unit.operation.tables[unit.operation.tables.length - 1]?.table;
    if (table && this.tracker.existedBefore(table))
      this.deadRows.set(table, (this.deadRows.get(table) ?? 0) + report.rowCount);
  }

  /**
   * After the script's own BEGIN, or in a TS/JS migration its framework wraps in a transaction, PostgreSQL
   * refuses CREATE INDEX CONCURRENTLY & co. for real: run it and report that error.
   */
  private runsInScriptTransaction(unit: ExecutionUnit, block: TransactionBlock | undefined): boolean {
    if (!block) return false;
    const position = block.operations.indexOf(unit.operation);
    if (
      !block.implicit ||
      block.operations.slice(0, position).some((operation) => operation.transactionAction === 'begin')
    )
      return true;
    const framework = this.options.file.host?.framework;
    return (
      block.operations.length > 1 && framework !== undefined && framework !== 'script' && framework !== 'db-migrate'
    );
  }

  private async scriptTransaction(
    control: ScriptTransactionControl,
    unit: ExecutionUnit,
    report: StatementReport,
    block: TransactionBlock | undefined,
  ): Promise<void> {
    const open = this.open !== undefined && this.open.block === block;
    const last = open && block!.operations[block!.operations.length - 1] === unit.operation;
    const session = this.options.session;
    switch (control.kind) {
      case 'begin':
        if (open && block!.operations[0] === unit.operation && !block!.implicit) {
          return ok(
            report,
            `the dry-run runs the whole script in one transaction that it rolls back; this BEGIN ${this.open!.savepoint ? 'became a savepoint' : 'opens nothing'}`,
          );
        }
        return ok(report, 'a transaction is already in progress here, so PostgreSQL would only warn');
      case 'commit':
        if (!last) return ok(report, 'no transaction is in progress here, so PostgreSQL would only warn');
        await this.closeBlock(report);
        if (report.status === 'error') return;
        return ok(
          report,
          `not sent: the dry-run ran the deferred constraint checks and triggers this COMMIT runs, keeps its transaction open and rolls everything back at the end${control.chain ? ' (AND CHAIN would start the next transaction at once)' : ''}`,
        );
      case 'rollback':
        if (!last) return ok(report, 'no transaction is in progress here, so PostgreSQL would only warn');
        if (this.open!.savepoint) {
          const savepoint = this.open!.savepoint;
          await session.internal(`ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}`);
          await this.tracker.observe();
        }
        this.open = undefined;
        return ok(report, 'not sent: the dry-run undid this transaction block by rolling back to a savepoint');
      case 'savepoint':
      case 'release':
      case 'rollback-to':
        return this.runStatement(unit, unit.statement!, report);
      case 'prepare':
        if (open) await this.closeBlock(report);
        if (report.status === 'error') return;
        return skip(
          report,
          'PREPARE TRANSACTION hands the transaction to two-phase commit, which a dry-run never does',
        );
      case 'finish-prepared':
        return skip(report, `${control.verb} finishes another prepared transaction, which ROLLBACK cannot undo`);
    }
  }

  /**
   * A statement PostgreSQL refuses in a transaction block is skipped; its plain form (without
   * CONCURRENTLY) runs in a savepoint instead, so the report still shows the relations it locks and the
   * errors it would hit. The locks are reported in the mode the statement as written takes.
   */
  private async substitute(
    unit: ExecutionUnit,
    report: StatementReport,
    reason: string,
    substitute: Substitute | undefined,
  ): Promise<void> {
    // A runner that runs this outside a transaction has committed what came before it.
    await this.runCommitChecks(this.open?.last);
    if (this.stopped) return;
    skip(report, `${reason}; a migration runner runs it outside a transaction, which a dry-run cannot do`);
    if (!substitute || !this.options.nonConcurrentForms) return;
    const { session } = this.options;
    await session.internal('SAVEPOINT preflight_substitute');
    try {
      const run = await this.runScriptSql(report, substitute.text);
      await session.internal('RELEASE SAVEPOINT preflight_substitute');
      report.durationMs = round(run.durationMs);
      report.notices = run.notices.map(notice);
      const seen = await this.tracker.observe();
      const written = substitute.writtenLock;
      report.locks = written
        ? dedupeLocks(seen.locks.map((lock) => lockTaken({ name: lock.relation, kind: lock.kind }, written)))
        : seen.locks;
      report.rewrites = seen.rewrites;
      report.note = `ran its form without CONCURRENTLY in a savepoint to find the relations it locks and any error${written ? `; as written it takes ${written} on them` : ''}`;
    } catch (error) {
      if (session.lost) return this.fail(report, unit.statement, error, substitute.removed);
      await session.internal('ROLLBACK TO SAVEPOINT preflight_substitute; RELEASE SAVEPOINT preflight_substitute');
      const failure = error as StatementFailure;
      if (failure.code === '55P03' || failure.watchdog === 'lock_timeout') {
        report.note =
          'its form without CONCURRENTLY waited for a lock until lock_timeout; as written it takes a weaker lock';
        return;
      }
      this.fail(report, unit.statement, error, substitute.removed);
      report.note =
        'the error comes from its form without CONCURRENTLY, run in a savepoint; the statement as written fails the same way';
    }
  }

  private async foreignWrites(unit: ExecutionUnit): Promise<{ relation: string; wrapper: string; server: string }[]> {
    if (!this.foreignTables || unit.operation.effect !== 'dml') return [];
    return foreignTableTargets(
      this.options.session,
      unit.operation.tables.map((touch) => touch.table),
    );
  }

  private async runStatement(unit: ExecutionUnit, statement: Statement, report: StatementReport): Promise<void> {
    const { session, seqScanThreshold } = this.options;
    const watch = this.watchBlockers();
    try {
      if (isExplainable(statement)) report.plan = await inspectPlan(session, statement.text, seqScanThreshold);
      const run = await this.runScriptSql(report, statement.text, unit.copyData);
      watch.stop();
      report.status = 'ok';
      report.command = run.result.command ?? null;
      report.rowCount = run.result.rowCount ?? null;
      report.durationMs = round(run.durationMs);
      report.notices = run.notices.map(notice);
      this.addObservation(report, await this.tracker.observe());
      this.assertTransactionOpen(report);
    } catch (error) {
      watch.stop();
      this.fail(report, statement, error, undefined, watch.blockers());
    }
  }

  private addObservation(report: StatementReport, seen: Awaited<ReturnType<LockTracker['observe']>>): void {
    report.locks.push(...seen.locks);
    report.rewrites.push(...seen.rewrites);
    for (const key of seen.advisoryLocks)
      if (!this.advisoryTakenBy.has(key)) this.advisoryTakenBy.set(key, report.index);
  }

  /**
   * A tripwire: nothing the script sends can end the dry-run's transaction (transaction statements are
   * never sent, the extended protocol refuses a hidden second statement). If the server ever reports that
   * no transaction is open, stop at once rather than run anything outside it.
   */
  private assertTransactionOpen(report: StatementReport): void {
    if (this.options.session.transactionStatus !== 'I') return;
    this.stopped = true;
    this.interrupted = {
      reason: 'connection-lost',
      message: `the dry-run's transaction ended unexpectedly after the statement at line ${report.line}; nothing after it ran (please report this)`,
    };
  }

  private fail(
    report: StatementReport,
    statement: Statement | undefined,
    error: unknown,
    removed?: Span,
    blockedBy?: StatementError['blockedBy'],
  ): void {
    const failure = error as StatementFailure;
    const { session, file } = this.options;
    const span = statement
      ? (doBlockErrorSpan(statement, failure.where, file.lines) ?? errorSpan(statement, failure.position, removed))
      : { start: report.startOffset, end: report.endOffset };
    const range = fileRange(file.lines, span);
    const statementError: StatementError = {
      code: failure.code ?? CONNECTION_FAILURE,
      message: failure.message,
      detail: failure.detail ?? null,
      hint: failure.hint ?? null,
      line: range.line,
      column: range.column,
      endLine: range.endLine,
      endColumn: range.endColumn,
      context: failure.where ?? null,
    };
    // Past the time limit, a cancel meant for the statement may land on Preflight's own query right after it.
    const cause =
      failure.watchdog ?? (this.watchdog?.expired && failure.code === '57014' ? 'dry-run-timeout' : undefined);
    if (cause) {
      statementError.message = this.watchdogMessage(cause);
      statementError.timeout = cause;
      if (cause === 'lock_timeout' && blockedBy && blockedBy.length > 0) statementError.blockedBy = blockedBy;
    } else if (failure.code === '55P03' && /lock timeout/i.test(failure.message)) {
      statementError.timeout = 'lock_timeout';
      if (blockedBy && blockedBy.length > 0) statementError.blockedBy = blockedBy;
    } else if (failure.code === '57014' && /statement timeout/i.test(failure.message)) {
      statementError.timeout = 'statement_timeout';
    }
    report.status = 'error';
    report.error = statementError;
    if (failure.durationMs !== undefined) report.durationMs = round(failure.durationMs);
    if (failure.notices) report.notices.push(...failure.notices.map(notice));
    // The server sends the reason (57P01 terminated by an administrator, ...) before it closes the connection.
    if (session.lost || ENDS_CONNECTION.test(statementError.code)) {
      this.interrupted = {
        reason: 'connection-lost',
        message: cause
          ? `${statementError.message}; it did not stop when cancelled, so the watchdog ended the session: PostgreSQL rolled the transaction back, nothing was committed`
          : lostMessage(failure),
      };
    }
    if (cause === 'dry-run-timeout') {
      this.interrupted = {
        reason: 'timeout',
        message: `${this.timeLimitPassed()} at line ${range.line}; the statement there was cancelled and nothing after it ran: rolled back, nothing committed`,
      };
    }
    this.stopped = true;
  }

  /** Polls who blocks the running statement, so a lock_timeout can say which session held the lock. */
  private watchBlockers(): { stop(): void; blockers(): StatementError['blockedBy'] } {
    const { session } = this.options;
    let latest: NonNullable<StatementError['blockedBy']> = [];
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const lockTimeout = this.limits.get('lock_timeout');
    const poll = async () => {
      try {
        const found = await session.blockers();
        if (found.length > 0) latest = found;
      } catch {
        // Seeing blockers is a nicety; a monitor connection that fails changes nothing else.
      }
      if (!stopped) timer = setTimeout(poll, BLOCKER_POLL_MS);
    };
    timer = setTimeout(
      poll,
      lockTimeout > 0 ? Math.max(20, Math.min(BLOCKER_POLL_MS, lockTimeout / 4)) : BLOCKER_POLL_MS,
    );
    return {
      stop: () => {
        stopped = true;
        clearTimeout(timer);
      },
      blockers: () => latest,
    };
  }

  /**
   * Runs SQL the script decides (a statement, its form without CONCURRENTLY, the deferred triggers a commit
   * point fires) under the watchdog, then sets back any limit it lifted. A failure carries the watchdog's
   * cause when the watchdog stopped it.
   */
  private async runScriptSql(
    report: StatementReport | undefined,
    text: string,
    copyData?: string,
  ): Promise<StatementRun> {
    const { session } = this.options;
    const watched = await this.watchdog!.watch(() => session.execute(text, copyData));
    if (watched.error) throw Object.assign(watched.error as StatementFailure, { watchdog: watched.cause });
    const kept = await this.limits.restore();
    if (kept.length > 0 && report) report.note = `the dry-run kept its own limit: ${kept.join(', ')}`;
    return watched.result!;
  }

  /** Why the watchdog stopped a statement, in the words of a PostgreSQL error message. */
  private watchdogMessage(cause: WatchdogCause): string {
    const from = "so the dry-run's watchdog cancelled it from a second connection";
    switch (cause) {
      case 'statement_timeout':
        return `canceling statement due to statement timeout: it ran longer than statement_timeout (${this.limits.get('statement_timeout')} ms) allows, ${from}`;
      case 'lock_timeout':
        return `canceling statement due to lock timeout: it waited for a lock longer than lock_timeout (${this.limits.get('lock_timeout')} ms) allows, ${from}`;
      case 'dry-run-timeout':
        return `canceling statement: ${this.timeLimitPassed()}, ${from}`;
    }
  }

  private timeLimitPassed(): string {
    return `the dry-run's time limit (${this.options.timeLimit}) passed`;
  }

  /** ROLLBACK, then what survived it: dead row versions, session advisory locks (released here), advanced sequences. */
  private async finish(): Promise<void> {
    for (const [table, rows] of this.deadRows) {
      this.sideEffects.push({
        kind: 'dead-rows',
        object: table,
        detail: `${rows} row versions the dry-run wrote are dead after ROLLBACK and take up space until VACUUM removes them`,
      });
    }
    if (!this.frame) return;
    const { databaseKind, allowSideEffects } = this.options;
    this.sideEffects.push(
      ...(await this.frame.end({ databaseKind, allowSideEffects, advisoryTakenBy: this.advisoryTakenBy })),
    );
  }
}

interface DeferrableConstraints {
  any: boolean;
  /** `SET CONSTRAINTS` list of the INITIALLY DEFERRED ones, to restore after a commit point; null when none. */
  initiallyDeferred: string | null;
}

/**
 * `SET CONSTRAINTS name` affects every constraint of that name in the schema and fails if one of them is
 * not deferrable: a name shared with a non-deferrable constraint is left out of the list (its deferred
 * namesake then stays immediate until the next commit point, which checks it anyway).
 */
async function deferrableConstraints(session: DryRunSession): Promise<DeferrableConstraints> {
  const { rows } = await session.internal<{ any: boolean; deferred: string | null }>(
    `SELECT pg_catalog.bool_or(c.condeferrable) AS any,
            pg_catalog.string_agg(DISTINCT pg_catalog.format('%I.%I', n.nspname, c.conname), ', ')
              FILTER (WHERE c.condeferred AND NOT EXISTS (
                SELECT FROM pg_catalog.pg_constraint o
                 WHERE o.connamespace = c.connamespace AND o.conname = c.conname AND NOT o.condeferrable)) AS deferred
       FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace`,
  );
  return { any: rows[0]?.any === true, initiallyDeferred: rows[0]?.deferred ?? null };
}

const WRITES_ROW_VERSIONS = new Set(['InsertStmt', 'UpdateStmt', 'MergeStmt', 'CopyStmt']);

/** SQLSTATE 08006 (connection_failure), for errors of a connection that broke without a server message. */
const CONNECTION_FAILURE = '08006';
const BLOCKER_POLL_MS = 500;

/** SQLSTATEs after which the server closes the connection: class 08, and 57P01-57P05 (shutdown, terminated). */
const ENDS_CONNECTION = /^(08|57P0[1-5])/;

function lostMessage(cause: Error): string {
  return `the connection to the server was lost (${cause.message}); PostgreSQL rolled the transaction back, nothing was committed`;
}

/** Formatting the SQL for display waits until the run is over, so that the statements start sooner. */
function initialReport(unit: ExecutionUnit, index: number, file: MigrationFile): StatementReport {
  const span = unit.statement?.fileSpan ?? unit.operation.fileSpan;
  return {
    index,
    ...fileRange(file.lines, span),
    sql: unit.statement?.text ?? file.text.slice(span.start, span.end),
    status: 'not-run',
    command: null,
    rowCount: null,
    durationMs: null,
    locks: [],
    rewrites: [],
    plan: null,
    notices: [],
    error: null,
  };
}

function skip(report: StatementReport, reason: string): void {
  report.status = 'skipped';
  report.reason = reason;
}

function ok(report: StatementReport, note: string): void {
  report.status = 'ok';
  report.note = note;
}

export function notice(message: ServerNotice): Notice {
  return {
    severity: message.severity ?? 'NOTICE',
    code: message.code ?? '00000',
    message: message.message ?? '',
    detail: message.detail ?? null,
    hint: message.hint ?? null,
  };
}

function dedupeLocks<T extends { relation: string; mode: string }>(locks: T[]): T[] {
  const seen = new Set<string>();
  return locks.filter((lock) => {
    const key = `${lock.relation}/${lock.mode}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function firstLine(unit: ExecutionUnit): string {
  const text = (unit.statement?.text ?? describeOperation(unit.operation)).trim().split('\n')[0];
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
