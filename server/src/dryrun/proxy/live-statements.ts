import type { SideEffect, StatementError, StatementReport } from '../../../../shared/protocol';
import type { Statement } from '../../parse/sql';
import { EscapeAnalysis } from '../escaping-effects';
import { notifySideEffects } from '../side-effects';
import { inspectPlan } from '../plan';
import { backwardSequenceMoves } from '../sequence-moves';
import { notice, round } from '../executor';
import type { DryRunSession, StatementFailure, WireRun } from '../session';
import { isExplainable, isSetTransaction, outsideTransaction } from '../statement-policy';
import type { RolledBackTransaction } from '../transaction-frame';
import type { FrontEndWording } from '../wording';
import type { ServerMessageFields } from './backend-messages';
import { RepeatedWrites } from './repeated-writes';
import type { CopyRelay } from './upstream-query';

export interface LiveStatementsOptions {
  session: DryRunSession;
  frame: RolledBackTransaction;
  databaseKind: 'server' | 'embedded';
  allowSideEffects: boolean;
  wording: FrontEndWording;
  seqScanThreshold: number;
  formatSql: (text: string) => string;
}

/** What the proxy answers a statement with, when the dry-run does not send it as written. */
export type Verdict =
  | { kind: 'run' }
  /** Not sent; the client gets this error (a refusal, or PostgreSQL's own error for the client's state). */
  | { kind: 'refuse'; error: ServerMessageFields }
  /** Not sent; the client gets CommandComplete with this tag, as if it had run where production runs it. */
  | { kind: 'pretend'; tag: string };

/**
 * The statements a program sends through the transaction proxy, each judged and run the way a migration's
 * statements are (executor.ts): the same refusal of effects that escape the transaction, the same limits
 * restored after each, the same watchdog, locks, plans and notices; each reported with the client connection
 * it came on. A client connection's view of transactions is the proxy's (client-transactions.ts).
 */
export class LiveStatements {
  readonly reports: StatementReport[] = [];
  readonly sideEffects: SideEffect[] = [];
  /** Advisory lock key → the statement that took it, for the side effects that survive ROLLBACK. */
  readonly advisoryTakenBy = new Map<string, number>();
  /** Advisory lock key → the client connection that took it: on a real server only that connection can release it. */
  private readonly advisoryOwner = new Map<string, number>();
  private readonly escapeAnalysis = new EscapeAnalysis();
  private readonly repeatedWrites: RepeatedWrites;

  constructor(private readonly options: LiveStatementsOptions) {
    this.repeatedWrites = new RepeatedWrites(options.frame.tracker);
  }

  /** A rollback to a savepoint released the locks taken since: the next statements are observed again. */
  locksReleased(): void {
    this.repeatedWrites.forget();
  }

  /** Decides what happens to a statement before anything is sent; a statement that is not run is reported here. */
  async judge(connection: number, statement: Statement, inClientTransaction: boolean): Promise<Verdict> {
    const { allowSideEffects, databaseKind, wording, session } = this.options;
    if (isSetTransaction(statement)) {
      this.record(connection, statement, 'skipped', {
        reason:
          "SET TRANSACTION must come first in a transaction; the dry-run's transaction has already begun, so its settings (READ COMMITTED) apply",
      });
      return { kind: 'pretend', tag: 'SET' };
    }
    const { escapes, undecidable } = this.escapeAnalysis.check(statement);
    if (escapes.length > 0 && !allowSideEffects) {
      return this.refuse(
        connection,
        statement,
        `refused: ${escapes.join('; ')}, which ROLLBACK cannot undo (${wording.allowSideEffects})`,
      );
    }
    if (databaseKind === 'server' && !allowSideEffects) {
      if (undecidable.length > 0) {
        return this.refuse(
          connection,
          statement,
          `refused: what it runs cannot be known before it runs (${undecidable.join('; ')}), and on this database it could have effects ROLLBACK cannot undo (${wording.allowSideEffects})`,
        );
      }
      const moves = await backwardSequenceMoves(statement, session, this.options.frame.sequencesBefore);
      if (moves.length > 0)
        return this.refuse(connection, statement, `refused: ${moves.join('; ')} (${wording.allowSideEffects})`);
    }
    const outside = outsideTransaction(statement);
    if (outside) {
      // Inside the client's own transaction PostgreSQL refuses it for real; outside one, production runs it.
      if (inClientTransaction) {
        this.record(connection, statement, 'error', { error: errorOf({ code: '25001', message: outside.reason }) });
        return { kind: 'refuse', error: refusal('25001', outside.reason) };
      }
      this.record(connection, statement, 'skipped', {
        reason: `${outside.reason}; production runs it outside a transaction, which a dry-run cannot do: not sent, the program was told it succeeded`,
      });
      return { kind: 'pretend', tag: commandTag(statement) };
    }
    return { kind: 'run' };
  }

  /** Runs a statement under the watchdog, restores the limits it lifted, and reports it; rethrows the server's error. */
  async run(
    connection: number,
    statement: Statement,
    parameterTypes: number[],
    values: (string | Buffer | null)[],
    copy: CopyRelay,
  ): Promise<WireRun> {
    const { session, frame, seqScanThreshold } = this.options;
    const report = this.record(connection, statement, 'not-run', {});
    const shape = this.repeatedWrites.shapeOf(statement);
    if (values.length === 0 && isExplainable(statement)) {
      report.plan = this.repeatedWrites.planOfRepeat(shape) ?? null;
      if (!report.plan) {
        report.plan = await inspectPlan(session, statement.text, seqScanThreshold).catch(() => null);
        this.repeatedWrites.rememberPlan(shape, report.plan, report.index);
      }
    }
    const watched = await frame.watchdog.watch(() => session.executeWire(statement.text, parameterTypes, values, copy));
    if (watched.error) {
      const failure = Object.assign(watched.error as StatementFailure, { watchdog: watched.cause });
      report.status = 'error';
      report.error = errorOf(failure);
      if (failure.durationMs !== undefined) report.durationMs = round(failure.durationMs);
      if (failure.notices) report.notices.push(...failure.notices.map(notice));
      throw failure;
    }
    const run = watched.result!;
    report.status = 'ok';
    report.command = run.result.command?.split(' ')[0] ?? null;
    report.rowCount = run.result.rowCount;
    report.durationMs = round(run.durationMs);
    report.notices = run.notices.map(notice);
    this.sideEffects.push(...notifySideEffects(statement, report.index));
    if (this.repeatedWrites.skipsObservation(shape)) return run;
    const kept = await frame.limits.restore();
    if (kept.length > 0) report.note = `the dry-run kept its own limit: ${kept.join(', ')}`;
    const seen = await frame.tracker.observe();
    report.locks.push(...seen.locks);
    report.rewrites.push(...seen.rewrites);
    this.followAdvisoryLocks(connection, report, seen.advisoryLocks, seen.advisoryReleased);
    return run;
  }

  /** A statement the proxy answered itself (transaction control, a statement after an error in the client's transaction). */
  record(
    connection: number,
    statement: Statement,
    status: StatementReport['status'],
    extra: { reason?: string; note?: string; error?: StatementError },
  ): StatementReport {
    const report: StatementReport = {
      index: this.reports.length,
      connection,
      line: 0,
      endLine: 0,
      column: 0,
      endColumn: 0,
      startOffset: 0,
      endOffset: 0,
      sql: this.options.formatSql(statement.text),
      status,
      command: null,
      rowCount: null,
      durationMs: null,
      locks: [],
      rewrites: [],
      plan: null,
      notices: [],
      error: extra.error ?? null,
      ...(extra.reason ? { reason: extra.reason } : {}),
      ...(extra.note ? { note: extra.note } : {}),
    };
    this.reports.push(report);
    return report;
  }

  /**
   * Every client connection shares the dry-run's one server session, so an unlock on connection 2 releases a
   * lock connection 1 took. On a real server each connection is its own session: that unlock returns false
   * with a WARNING and the lock stays held until connection 1 closes (incident 2). Both statements say so.
   */
  private followAdvisoryLocks(connection: number, report: StatementReport, taken: string[], released: string[]): void {
    for (const key of taken) {
      this.advisoryOwner.set(key, connection);
      if (!this.advisoryTakenBy.has(key)) this.advisoryTakenBy.set(key, report.index);
    }
    for (const key of released) {
      const owner = this.advisoryOwner.get(key);
      this.advisoryOwner.delete(key);
      if (owner === undefined || owner === connection) continue;
      const takenAt = this.advisoryTakenBy.get(key);
      warn(
        report,
        `in production this unlock is a no-op: advisory lock ${key} was taken on client connection ${owner}${takenAt !== undefined ? ` (statement ${takenAt + 1})` : ''} and this runs on connection ${connection}, a different session; pg_advisory_unlock returns false with WARNING "you don't own a lock of type ExclusiveLock", and the lock stays held until connection ${owner} closes`,
      );
      const taker = takenAt !== undefined ? this.reports[takenAt] : undefined;
      if (taker) {
        warn(
          taker,
          `advisory lock ${key} taken here on client connection ${owner} is unlocked on connection ${connection} (statement ${report.index + 1}), which releases nothing in production: the lock leaks until connection ${owner} closes; take and release it on one reserved connection`,
        );
      }
    }
  }

  private refuse(connection: number, statement: Statement, reason: string): Verdict {
    this.record(connection, statement, 'skipped', { reason });
    return { kind: 'refuse', error: refusal('0A000', `preflight dry-run ${reason}`) };
  }
}

/** Adds a hazard to a statement's warnings. */
export function warn(report: StatementReport, message: string): void {
  report.warnings = [...(report.warnings ?? []), message];
}

function refusal(code: string, message: string): ServerMessageFields {
  return { severity: 'ERROR', code, message };
}

/** The CommandComplete tag PostgreSQL sends for the statements the proxy answers for without running them. */
function commandTag(statement: Statement): string {
  const words = statement.text.trim().toUpperCase().split(/\s+/);
  if (words[0] === 'CREATE' && words.includes('INDEX')) return 'CREATE INDEX';
  if (words[0] === 'DROP' && words[1] === 'INDEX') return 'DROP INDEX';
  if (words[0] === 'CREATE' || words[0] === 'DROP' || words[0] === 'ALTER') return `${words[0]} ${words[1]}`;
  return words[0];
}

/** A failure as the report states it; program statements have no file position. */
export function errorOf(failure: Partial<StatementFailure> & { message: string }): StatementError {
  const error: StatementError = {
    code: failure.code ?? '08006',
    message: failure.message,
    detail: failure.detail ?? null,
    hint: failure.hint ?? null,
    line: 0,
    column: 0,
    endLine: 0,
    endColumn: 0,
    context: failure.where ?? null,
  };
  if (failure.watchdog) error.timeout = failure.watchdog;
  else if (failure.code === '55P03' && /lock timeout/i.test(failure.message)) error.timeout = 'lock_timeout';
  else if (failure.code === '57014' && /statement timeout/i.test(failure.message)) error.timeout = 'statement_timeout';
  return error;
}
