import {
  type DryRunReport,
  type StatementReport,
  formatChangeSample,
  formatNumericSum,
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

const STATUS_ICONS: Record<StatementReport['status'], string> = {
  ok: '✅',
  error: '❌',
  skipped: '⏭️',
  'not-run': '⚪',
};

/**
 * The dry-run as a pull-request comment: a heading with the outcome, a table of statements, the error in
 * full, then the side effects. `headingLevel` lets a lint report embed it as a section.
 */
export function renderDryRunMarkdown(
  report: DryRunReport,
  options: DryRunRenderOptions & { headingLevel?: number } = {},
): string {
  const hashes = '#'.repeat(options.headingLevel ?? 3);
  const icon = report.outcome === 'ok' ? '✅' : report.outcome === 'cancelled' ? '⚪' : '❌';
  const out: string[] = [];
  out.push(`${hashes} ${icon} Preflight dry run of ${code(options.displayPath ?? report.file)}`, '');
  out.push(`${capitalise(outcomeLine(report))}. Ran on ${databaseLine(report)}.`, '');
  const warning = serverAccessWarning(report);
  if (warning) out.push(`> ⚠️ ${cell(warning)}`, '');
  for (const note of report.notes ?? []) out.push(`> ${cell(note)}`, '');
  if (report.database.notReplayed.length > 0) {
    out.push(
      'Not replayed:',
      ...report.database.notReplayed.map((entry) => `- ${code(entry.file)}: ${cell(entry.reason)}`),
      '',
    );
  }
  out.push('| # | Lines | Status | Rows / time | Statement | Locks and plan |', '|---|---|---|---|---|---|');
  const headers = new Map(
    sourceGroups(report, options.displayPath)
      .filter((group) => group.label)
      .map((group) => [group.statements[0], groupHeader(group)]),
  );
  for (const statement of report.statements) {
    const header = headers.get(statement);
    if (header) out.push(`| | | | | **${cell(header)}** | |`);
    const findings = [
      ...statement.locks.map(describeLock),
      ...statement.rewrites.map((r) => `rewrites ${r.kind} ${r.relation}`),
      ...noteworthyScans(statement).map(describeSeqScan),
    ];
    if (statement.reason) findings.unshift(statement.reason);
    findings.unshift(...(statement.warnings ?? []).map((warning) => `⚠️ ${warning}`));
    out.push(
      `| ${statement.index + 1} | ${lineRange(statement)} | ${STATUS_ICONS[statement.status]} ${statusLabel(statement)} | ${statementFigures(statement)} | ${code(statementHeadline(statement, 60))} | ${findings.map(cell).join('<br>')} |`,
    );
  }
  for (const statement of report.statements) {
    const { error } = statement;
    if (!error) continue;
    const where = error.atCommit
      ? `when the transaction commits (after line ${statement.line})`
      : error.line === 0
        ? `statement ${statement.index + 1} on client connection ${statement.connection}`
        : `line ${error.line}, column ${error.column}`;
    out.push('', `**${error.code}** at ${where}: ${cell(error.message)}`);
    if (error.detail) out.push(`> ${cell(error.detail)}`);
    if (error.hint) out.push(`> hint: ${cell(error.hint)}`);
    if (error.timeout === 'lock_timeout') out.push('> lock_timeout expired: another session held a conflicting lock.');
    out.push('', '```sql', statement.sql, '```');
  }
  if (report.program) {
    const { program } = report;
    out.push(
      '',
      `**Program** ${code(program.command)}: ${programExit(program)}; ${program.connections} client connection(s). ${capitalise(program.outsideEffects)}.`,
    );
    for (const [name, text] of [
      ['stdout', program.stdout],
      ['stderr', program.stderr],
    ] as const) {
      if (text.trim() !== '')
        out.push(
          '',
          `<details><summary>${name}</summary>`,
          '',
          '```text',
          text.replace(/```/g, '`\u200b``').replace(/\n$/, ''),
          '```',
          '',
          '</details>',
        );
    }
  }
  if (report.dataChanges && report.dataChanges.length > 0) {
    out.push(
      '',
      '**Data changes**, measured in the transaction before the rollback:',
      '',
      '| Table | Inserted | Updated | Deleted | Sums that moved |',
      '|---|---|---|---|---|',
    );
    for (const change of report.dataChanges)
      out.push(
        `| ${code(change.table)} | ${change.inserted} | ${change.updated} | ${change.deleted} | ${change.numericSums.map((sum) => cell(formatNumericSum(sum))).join('<br>')} |`,
      );
    const samples = report.dataChanges.flatMap((change) =>
      change.samples.map((sample) => `- ${code(change.table)} ${cell(formatChangeSample(sample))}`),
    );
    if (samples.length > 0)
      out.push('', '<details><summary>Samples, before → after</summary>', '', ...samples, '', '</details>');
  }
  if (report.sideEffects.length > 0) {
    out.push('', '<details><summary>Side effects that survive ROLLBACK</summary>', '');
    for (const effect of report.sideEffects)
      out.push(`- **${effect.kind}** ${code(effect.object)}: ${cell(effect.detail)}`);
    out.push('', '</details>');
  }
  return out.join('\n') + '\n';
}

/** A code span that survives backticks and table pipes in the text. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text.replace(/\|/g, '\\|').replace(/\n/g, ' ')}${fence}`;
}

/** Text inside a table cell: no line breaks, pipes escaped, HTML neutralised. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
