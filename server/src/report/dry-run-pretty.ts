import {
  type DryRunReport,
  type StatementReport,
  formatChangeSample,
  formatTableChange,
} from '../../../shared/protocol';
import {
  DryRunRenderOptions,
  databaseLine,
  describeLock,
  describeSeqScan,
  groupHeader,
  lineRange,
  noteworthyScans,
  outcomeLine,
  programExit,
  serverAccessWarning,
  sourceGroups,
  statementFigures,
  statementHeadline,
  statusLabel,
} from './dry-run-text';

const COLORS = { red: 31, green: 32, yellow: 33, cyan: 36, dim: 2, bold: 1 } as const;
type Color = keyof typeof COLORS;

const STATUS_COLORS: Record<StatementReport['status'], Color> = {
  ok: 'green',
  error: 'red',
  skipped: 'yellow',
  'not-run': 'dim',
};

/**
 * The dry-run for a terminal: a table of statements (lines, status, rows and time, the statement), each
 * followed by what it locked, rewrote and scanned, its notices and its error; then the side effects that
 * survive ROLLBACK and the outcome.
 */
export function renderDryRunPretty(report: DryRunReport, options: DryRunRenderOptions & { color: boolean }): string {
  const paint = (name: Color, text: string) => (options.color ? `\x1b[${COLORS[name]}m${text}\x1b[0m` : text);
  const out: string[] = [];
  out.push(`${paint('bold', `Dry run of ${options.displayPath ?? report.file}`)} on ${databaseLine(report)}`);
  out.push(
    paint(
      'dim',
      `lock_timeout ${report.settings.lockTimeout}, statement_timeout ${report.settings.statementTimeout}; one transaction, rolled back at the end`,
    ),
  );
  for (const entry of report.database.notReplayed)
    out.push(paint('yellow', `not replayed: ${entry.file}: ${entry.reason}`));
  for (const note of report.database.notes) out.push(paint('dim', note));
  const warning = serverAccessWarning(report);
  if (warning) out.push(paint('yellow', `warning: ${warning}`));
  for (const note of report.notes ?? []) out.push(paint('yellow', note));
  out.push('');

  const cellsOf = new Map<StatementReport, string[]>();
  const rows = report.statements.map((statement) => [
    String(statement.index + 1),
    lineRange(statement),
    statusLabel(statement),
    statementFigures(statement),
    statementHeadline(statement, 64),
  ]);
  report.statements.forEach((statement, i) => cellsOf.set(statement, rows[i]));
  const header = ['#', 'Lines', 'Status', 'Rows / time', 'Statement'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ');
  out.push(paint('bold', line(header)));
  // A program's statements under the line and call of its code that sent them.
  for (const group of sourceGroups(report, options.displayPath)) {
    if (group.label) out.push(paint('cyan', groupHeader(group)));
    for (const statement of group.statements) {
      const cells = cellsOf.get(statement)!;
      const status = paint(STATUS_COLORS[statement.status], cells[2].padEnd(widths[2]));
      out.push(
        [cells[0].padEnd(widths[0]), cells[1].padEnd(widths[1]), status, cells[3].padEnd(widths[3]), cells[4]].join(
          '  ',
        ),
      );
      const indent = ' '.repeat(widths[0] + 2);
      for (const detail of statementDetails(statement)) out.push(`${indent}${paint(detail.color, detail.text)}`);
    }
  }

  if (report.program) {
    const { program } = report;
    out.push(
      '',
      paint('bold', `Program: ${program.command}`),
      `  ${programExit(program)}; ${program.connections} client ${program.connections === 1 ? 'connection' : 'connections'}`,
    );
    for (const [name, text] of [
      ['stdout', program.stdout],
      ['stderr', program.stderr],
    ] as const) {
      if (text.trim() === '') continue;
      out.push(
        paint('dim', `  ${name}:`),
        ...text
          .replace(/\n$/, '')
          .split('\n')
          .map((each) => `    ${each}`),
      );
    }
    out.push(paint('yellow', `  ${program.outsideEffects}`));
  }
  if (report.dataChanges && report.dataChanges.length > 0) {
    out.push('', paint('bold', 'Data changes, measured in the transaction before the rollback'));
    for (const change of report.dataChanges) {
      out.push(`  ${formatTableChange(change)}`);
      for (const sample of change.samples) out.push(paint('dim', `    ${formatChangeSample(sample)}`));
    }
  }
  if (report.sideEffects.length > 0) {
    out.push('', paint('bold', 'Side effects that survive ROLLBACK'));
    for (const effect of report.sideEffects) {
      const at = effect.statementIndex !== undefined ? ` (statement ${effect.statementIndex + 1})` : '';
      out.push(`  ${effect.kind} ${effect.object}${at}: ${effect.detail}`);
    }
  }
  const color: Color = report.outcome === 'ok' ? 'green' : report.outcome === 'cancelled' ? 'yellow' : 'red';
  out.push('', paint(color, paint('bold', `Dry run ${outcomeLine(report)}`)));
  return out.join('\n') + '\n';
}

function statementDetails(statement: StatementReport): { text: string; color: Color }[] {
  const details: { text: string; color: Color }[] = [];
  if (statement.error) {
    const { error } = statement;
    const where = error.atCommit
      ? 'when the transaction commits'
      : error.line === 0
        ? `on client connection ${statement.connection}`
        : `at line ${error.line}, column ${error.column}`;
    details.push({ text: `${error.code} ${error.message} (${where})`, color: 'red' });
    if (error.detail) details.push({ text: `detail: ${error.detail}`, color: 'red' });
    if (error.hint) details.push({ text: `hint: ${error.hint}`, color: 'cyan' });
    if (error.timeout === 'lock_timeout') {
      const holders = (error.blockedBy ?? []).map(
        (b) => `pid ${b.pid} (${b.state ?? 'unknown'}: ${b.query.replace(/\s+/g, ' ').slice(0, 60)})`,
      );
      details.push({
        text: `lock_timeout expired: another session holds a conflicting lock${holders.length ? `: ${holders.join(', ')}` : ''}`,
        color: 'red',
      });
    }
    if (error.context) details.push({ text: `context: ${error.context.split('\n')[0]}`, color: 'dim' });
  }
  if (statement.reason) details.push({ text: statement.reason, color: 'yellow' });
  for (const warning of statement.warnings ?? []) details.push({ text: `warning: ${warning}`, color: 'red' });
  if (statement.note) details.push({ text: statement.note, color: 'dim' });
  for (const lock of statement.locks)
    details.push({ text: describeLock(lock), color: lock.blocks.includes('INSERT') ? 'yellow' : 'dim' });
  for (const rewrite of statement.rewrites)
    details.push({ text: `rewrites ${rewrite.kind} ${rewrite.relation}`, color: 'yellow' });
  for (const scan of noteworthyScans(statement)) details.push({ text: describeSeqScan(scan), color: 'yellow' });
  for (const notice of statement.notices)
    details.push({
      text: `${notice.severity}: ${notice.message}`,
      color: notice.severity === 'WARNING' ? 'yellow' : 'dim',
    });
  return details;
}
