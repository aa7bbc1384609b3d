import { formatDuration, formatRows } from '../../shared/protocol';
import type { DryRunReport, DryRunStatement } from './dryRunReport';

/**
 * One wording for a statement's result, shared by the inline summaries, the results panel and the
 * status bar, so the three never describe the same run differently.
 */

/** Lock modes in the order they were taken, each once ("RowExclusiveLock", "AccessExclusiveLock"). */
export function lockModes(statement: DryRunStatement): string[] {
  return [...new Set(statement.locks.map((lock) => lock.mode))];
}

/**
 * The sequential scans the engine flagged (tables above its row threshold): the UPDATE or DELETE that
 * reads a whole big table in production, holding its locks all the while.
 */
export function flaggedPlans(statement: DryRunStatement): string[] {
  return (statement.plan?.seqScans ?? [])
    .filter((scan) => scan.flagged)
    .map(
      (scan) =>
        `Seq Scan on ${scan.relation} (~${formatRows(scan.estimatedRows)})${scan.indexCouldServe === false ? ': no index can serve this filter' : ''}`,
    );
}

/** "500 rows · 3 ms · RowExclusiveLock", or why the statement did not run. */
export function statementSummary(statement: DryRunStatement): string {
  switch (statement.status) {
    case 'error':
      return statement.error ? `failed: ${statement.error.code} ${statement.error.message}` : 'failed';
    case 'skipped':
      return statement.reason ? `skipped: ${statement.reason}` : 'skipped';
    case 'not-run':
      return 'not run (an earlier statement failed)';
    case 'ok': {
      const parts: string[] = [];
      if (statement.rowCount !== null && statement.rowCount !== undefined) parts.push(formatRows(statement.rowCount));
      if (statement.durationMs !== null && statement.durationMs !== undefined)
        parts.push(formatDuration(statement.durationMs));
      parts.push(...lockModes(statement));
      if (flaggedPlans(statement).length > 0) parts.push('seq scan');
      return parts.join(' · ');
    }
  }
}

/**
 * The inline summary of one line: its statement's summary, or, where a program's loop sent many statements from
 * the line, how many and their rows and time, or the first failure among them.
 */
export function lineSummary(statements: readonly DryRunStatement[]): string {
  if (statements.length === 1) return statementSummary(statements[0]);
  const count = `${statements.length} statements`;
  const failed = statements.find((statement) => statement.status === 'error');
  if (failed) return `${count} · ${statementSummary(failed)}`;
  const parts = [count];
  const rows = statements.filter((s) => s.rowCount !== null && s.rowCount !== undefined);
  if (rows.length > 0) parts.push(formatRows(rows.reduce((sum, s) => sum + s.rowCount!, 0)));
  const timed = statements.filter((s) => s.durationMs !== null && s.durationMs !== undefined);
  if (timed.length > 0) parts.push(formatDuration(timed.reduce((sum, s) => sum + s.durationMs!, 0)));
  parts.push(...new Set(statements.flatMap(lockModes)));
  return parts.join(' · ');
}

/** "dry-run ok (7 statements, nothing committed)" — the outcome line for the status bar and messages. */
export function outcomeSummary(report: DryRunReport): string {
  const count = `${report.statements.length} ${report.statements.length === 1 ? 'statement' : 'statements'}`;
  switch (report.outcome) {
    case 'ok':
      return `dry-run ok (${count}, rolled back)`;
    case 'cancelled':
      return 'dry-run cancelled (rolled back)';
    case 'failed': {
      const failed = report.statements.find((statement) => statement.status === 'error');
      return failed
        ? `dry-run failed at line ${failed.error?.line ?? failed.line} (rolled back)`
        : 'dry-run failed (rolled back)';
    }
  }
}
