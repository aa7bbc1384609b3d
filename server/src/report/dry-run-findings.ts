import type { Rule } from '../lint/rule';
import { DryRunReport, StatementReport, formatRows } from '../../../shared/protocol';
import type { PositionedDiagnostic, ReportFile } from './types';

/**
 * What `preflight check` reports as findings from a dry-run, next to the lint rules' findings, so that
 * annotations, SARIF, GitLab and the exit code all see them: a statement that fails, and a statement that
 * scans a big table sequentially. They are not lint rules (no parse tree could tell), but they are named
 * and documented like rules.
 */
export const DRY_RUN_CHECKS: readonly Pick<Rule, 'id' | 'severity' | 'summary'>[] = [
  {
    id: 'dry-run-failed',
    severity: 'error',
    summary: 'The statement fails when the migration runs on a real PostgreSQL (dry-run, rolled back).',
  },
  {
    id: 'dry-run-seq-scan',
    severity: 'warning',
    summary: 'The statement reads a big table sequentially on a real PostgreSQL (dry-run plan).',
  },
];

export function dryRunDiagnostics(file: ReportFile, report: DryRunReport): PositionedDiagnostic[] {
  const diagnostics: PositionedDiagnostic[] = [];
  for (const statement of report.statements) {
    if (statement.status === 'error' && statement.error) diagnostics.push(failure(file, statement));
    for (const scan of statement.plan?.seqScans ?? []) {
      if (!scan.flagged) continue;
      diagnostics.push({
        ...statementRange(statement),
        rule: 'dry-run-seq-scan',
        severity: 'warning',
        message:
          `The dry-run plan reads all of ${scan.relation} (~${formatRows(scan.estimatedRows)}) sequentially` +
          (scan.indexCouldServe === false
            ? ': no index can serve this filter.'
            : ', although an index could serve it.') +
          ' On a big production table this holds its locks for as long as the scan takes.',
        help:
          scan.indexCouldServe === false
            ? `Add an index whose leading column is in the filter, or rewrite the filter so an existing index applies (NOT IN → NOT EXISTS).`
            : `On a table of this size, change the rows in batches, each in its own short transaction.`,
      });
    }
  }
  return diagnostics;
}

function failure(file: ReportFile, statement: StatementReport): PositionedDiagnostic {
  const error = statement.error!;
  const details = [error.detail && `Detail: ${error.detail}`, error.context && `Context: ${error.context}`]
    .filter(Boolean)
    .join(' ');
  const start = file.lines.offsetAt({ line: error.line - 1, character: error.column - 1 });
  const end = file.lines.offsetAt({ line: error.endLine - 1, character: error.endColumn - 1 });
  return {
    rule: 'dry-run-failed',
    severity: 'error',
    message:
      `The dry-run failed here with ${error.code}: ${error.message}${error.atCommit ? ' (at COMMIT)' : ''}.` +
      (details ? ` ${details}` : '') +
      ' The migration would fail the same way, and nothing after this statement would run.',
    help: error.hint ?? undefined,
    span: { start, end: Math.max(start, end) },
    line: error.line,
    column: error.column,
    endLine: error.endLine,
    endColumn: error.endColumn,
  };
}

function statementRange(
  statement: StatementReport,
): Pick<PositionedDiagnostic, 'span' | 'line' | 'column' | 'endLine' | 'endColumn'> {
  return {
    span: { start: statement.startOffset, end: statement.endOffset },
    line: statement.line,
    column: statement.column,
    endLine: statement.endLine,
    endColumn: statement.endColumn,
  };
}

/** The file's report with its dry-run attached and the dry-run's findings among the lint findings, in file order. */
export function withDryRun(file: ReportFile, report: DryRunReport): ReportFile {
  const diagnostics = [...file.diagnostics, ...dryRunDiagnostics(file, report)].sort(
    (a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule),
  );
  return { ...file, diagnostics, dryRun: report };
}
