import type { DryRunReport, DryRunStatement, ProgramRun, TableChange } from './dryRunReport';
import { escapeHtml, formatChangeSample, formatDuration, formatRows, formatTableChange } from '../../shared/protocol';
import { flaggedPlans, lockModes } from './dryRunFormat';

const STATUS_LABEL: Record<DryRunStatement['status'], string> = {
  ok: 'ok',
  error: 'failed',
  skipped: 'skipped',
  'not-run': 'not run',
};

/**
 * The results panel's page. Everything in it comes from the report (SQL, error messages, object names),
 * so all of it is escaped; the Content-Security-Policy allows nothing but the nonce'd style and script —
 * no network, no files — and the script only reports which row was clicked.
 */
export function renderReport(
  report: DryRunReport,
  fileName: string,
  nonce: string,
  edited?: readonly number[],
): string {
  const database = report.database;
  const where =
    database.kind === 'embedded'
      ? 'embedded PostgreSQL'
      : [database.host, database.database].filter(Boolean).join(' / ') || 'database server';
  const replayed = database.replayed?.length
    ? ` · replayed ${database.replayed.length} earlier ${database.replayed.length === 1 ? 'migration' : 'migrations'}`
    : '';
  const rows = statementGroups(report)
    .map(({ label, statements }) =>
      [
        ...(label !== undefined ? [`<tr class="group"><td colspan="6">${escapeHtml(label)}</td></tr>`] : []),
        ...statements.map((statement) => renderStatement(statement, edited?.includes(statement.index) ?? false)),
      ].join('\n'),
    )
    .join('\n');
  const warnings = [
    edited
      ? `Out of date: ${fileName} was edited after this dry-run${edited.length ? ` (${edited.length} ${edited.length === 1 ? 'statement' : 'statements'} changed)` : ''}. Run it again for current results.`
      : undefined,
    report.interrupted ? `Stopped early: ${report.interrupted.message}` : undefined,
    ...(database.notReplayed ?? []).map((skipped) => `Could not replay ${skipped.file}: ${skipped.reason}`),
  ]
    .filter((warning): warning is string => warning !== undefined)
    .map((warning) => `<p class="warning">${escapeHtml(warning)}</p>`)
    .join('\n');
  const sideEffects = report.sideEffects.length
    ? `<h2>Side effects that survive ROLLBACK</h2><ul>${report.sideEffects
        .map(
          (effect) =>
            `<li><strong>${escapeHtml(effect.object)}</strong> (${escapeHtml(effect.kind)}): ${escapeHtml(effect.detail)}</li>`,
        )
        .join('')}</ul>`
    : '';
  const dataChanges = report.dataChanges?.length
    ? `<h2>Data changes (rolled back)</h2><ul class="data-changes">${report.dataChanges
        .map((change) => `<li>${escapeHtml(formatTableChange(change))}${changeSamples(change)}</li>`)
        .join('')}</ul>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Dry Run</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 12px 12px; }
  h1 { font-size: 1.15em; margin: 12px 0 4px; }
  h2 { font-size: 1em; margin: 16px 0 4px; }
  .summary { margin: 0 0 10px; color: var(--vscode-descriptionForeground); }
  .outcome-ok { color: var(--vscode-testing-iconPassed); }
  .outcome-failed { color: var(--vscode-errorForeground); }
  table { border-collapse: collapse; width: 100%; }
  th { text-align: left; font-weight: 600; border-bottom: 1px solid var(--vscode-panel-border); padding: 4px 8px; white-space: nowrap; }
  td { padding: 4px 8px; vertical-align: top; border-bottom: 1px solid var(--vscode-panel-border); }
  /* A statement's error, flagged plans and notes go in a full-width row under it, so a narrow panel shows them. */
  tr.statement.has-details td { border-bottom: none; }
  tr.details td { padding-top: 0; }
  tbody tr { cursor: pointer; }
  tbody tr:hover, tbody tr:focus { background: var(--vscode-list-hoverBackground); outline: none; }
  td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
  /* The statement's first line, cut to fit (the full SQL is its tooltip); lock names never wrap inside. */
  td.sql { max-width: 32em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  code { font-family: var(--vscode-editor-font-family); }
  .lock { white-space: nowrap; }
  .status { white-space: nowrap; }
  tr[data-status="ok"] .status { color: var(--vscode-testing-iconPassed); }
  tr[data-status="error"] .status, .error { color: var(--vscode-errorForeground); }
  tr[data-status="skipped"] .status, tr[data-status="not-run"] .status { color: var(--vscode-descriptionForeground); }
  .plan, .warning { color: var(--vscode-editorWarning-foreground); }
  .note { color: var(--vscode-descriptionForeground); }
  tr.group td { font-weight: 600; cursor: default; padding-top: 10px; }
  pre { font-family: var(--vscode-editor-font-family); white-space: pre-wrap; margin: 4px 0; }
  pre.stderr { color: var(--vscode-errorForeground); }
</style>
</head>
<body>
<h1>${escapeHtml(fileName)}</h1>
<p class="summary"><span class="outcome-${escapeHtml(report.outcome)}" data-outcome="${escapeHtml(report.outcome)}">${outcomeText(report)}</span> on ${escapeHtml(where)}${escapeHtml(replayed)} · rolled back, nothing was committed</p>
${warnings}
<table>
<thead><tr><th>Line</th><th>Statement</th><th>Status</th><th>Rows</th><th>Time</th><th>Locks</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${dataChanges}
${sideEffects}
${report.program ? renderProgram(report.program) : ''}
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  for (const row of document.querySelectorAll('tbody tr[data-index]')) {
    const reveal = () => vscode.postMessage({ type: 'reveal', index: Number(row.dataset.index) });
    row.addEventListener('click', reveal);
    row.addEventListener('keydown', (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); reveal(); } });
  }
</script>
</body>
</html>`;
}

function renderStatement(statement: DryRunStatement, edited: boolean): string {
  const firstLine = statement.sql.trim().split('\n')[0];
  const error = statement.error
    ? [
        `${statement.error.code}: ${statement.error.message}`,
        statement.error.detail,
        statement.error.hint && `Hint: ${statement.error.hint}`,
      ]
        .filter((part): part is string => Boolean(part))
        .map(escapeHtml)
        .join('<br>')
    : '';
  // Why a statement was skipped, or how the dry-run ran it differently from how it is written.
  const note = [statement.status === 'skipped' ? statement.reason : undefined, statement.note]
    .filter((part): part is string => Boolean(part))
    .map(escapeHtml)
    .join('<br>');
  // A program's statement: the line of its code that sent it; 0 when none is known.
  const lines = statement.source
    ? `${statement.source.line}`
    : statement.endLine > statement.line
      ? `${statement.line}–${statement.endLine}`
      : statement.line > 0
        ? `${statement.line}`
        : '';
  const cells = [
    `<td class="num">${lines}</td>`,
    `<td class="sql" title="${escapeHtml(statement.sql)}"><code>${escapeHtml(firstLine)}</code></td>`,
    `<td class="status">${STATUS_LABEL[statement.status]}</td>`,
    `<td class="num">${statement.rowCount === null || statement.rowCount === undefined ? '' : escapeHtml(formatRows(statement.rowCount))}</td>`,
    `<td class="num">${statement.durationMs === null || statement.durationMs === undefined ? '' : escapeHtml(formatDuration(statement.durationMs))}</td>`,
    `<td>${statement.locks.map((lock) => `<span class="lock" title="blocks ${escapeHtml(lock.blocksWork)}">${escapeHtml(lock.mode)} on ${escapeHtml(lock.relation)}</span>`).join('<br>')}</td>`,
  ];
  const details = [
    error && `<div class="error">${error}</div>`,
    ...flaggedPlans(statement).map((plan) => `<div class="plan">${escapeHtml(plan)}</div>`),
    note && `<div class="note">${note}</div>`,
    edited && '<div class="warning">Edited since this dry-run: not what ran.</div>',
  ].filter(Boolean);
  const attributes = `data-index="${statement.index}" data-status="${escapeHtml(statement.status)}"${edited ? ' data-edited="true"' : ''}`;
  const row = `<tr class="statement${details.length ? ' has-details' : ''}" tabindex="0" ${attributes} data-locks="${escapeHtml(lockModes(statement).join(' '))}">${cells.join('')}</tr>`;
  return details.length
    ? `${row}\n<tr class="details" ${attributes}><td></td><td colspan="5">${details.join('')}</td></tr>`
    : row;
}

/**
 * A program's statements under the code that sent them (`source`: its line and call), in the order each place
 * first sent one, so a loop's hundred UPDATEs sit under its one line; without sources, under the client
 * connection they came on. A migration's statements: one group without a heading.
 */
function statementGroups(report: DryRunReport): { label?: string; statements: DryRunStatement[] }[] {
  const bySource = report.statements.some((s) => s.source);
  const byConnection = !bySource && report.statements.some((s) => s.connection !== undefined);
  if (!bySource && !byConnection) return [{ statements: report.statements }];
  const groups = new Map<string, DryRunStatement[]>();
  for (const statement of report.statements) {
    const key = bySource ? sourceLabel(statement, report.file) : connectionLabel(statement);
    groups.set(key, [...(groups.get(key) ?? []), statement]);
  }
  return [...groups].map(([label, statements]) => ({
    label: `${label} (${statements.length} ${statements.length === 1 ? 'statement' : 'statements'})`,
    statements,
  }));
}

function sourceLabel(statement: DryRunStatement, file: string): string {
  const source = statement.source;
  if (!source) return 'sent from code Preflight could not place';
  const place = source.file === file ? `line ${source.line}` : `${baseName(source.file)}:${source.line}`;
  return source.call ? `${place} · ${source.call}` : place;
}

function connectionLabel(statement: DryRunStatement): string {
  return statement.connection !== undefined ? `connection ${statement.connection}` : 'no client connection';
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** What the program printed, how it ended, and what the rollback does not undo. */
function renderProgram(program: ProgramRun): string {
  const ending = program.timedOut
    ? 'killed at the time limit'
    : program.exitCode !== null
      ? `exited with code ${program.exitCode}`
      : `killed by ${program.signal ?? 'a signal'}`;
  const connections =
    program.connections === 0
      ? 'never connected to the database'
      : `${program.connections} ${program.connections === 1 ? 'connection' : 'connections'}`;
  const stream = (name: 'stdout' | 'stderr') =>
    program[name] ? `<pre class="${name}">${escapeHtml(program[name])}</pre>` : '';
  return `<h2>Program output</h2>
<p class="program"><code>${escapeHtml(program.command)}</code> ${escapeHtml(ending)} · ${escapeHtml(connections)}</p>
${stream('stdout')}${stream('stderr')}${program.stdout || program.stderr ? '' : '<p class="note">It printed nothing.</p>'}
<p class="warning">${escapeHtml(program.outsideEffects)}</p>`;
}

function outcomeText(report: DryRunReport): string {
  const failed = report.statements.filter((s) => s.status === 'error').length;
  switch (report.outcome) {
    case 'ok':
      return `${report.statements.length} ${report.statements.length === 1 ? 'statement' : 'statements'}, none failed`;
    case 'failed':
      if (failed === 0 && report.program) return programFailure(report.program);
      return `${failed} ${failed === 1 ? 'statement' : 'statements'} failed`;
    case 'cancelled':
      return 'Cancelled';
  }
}

/** Why a program's dry-run failed when none of its statements did. */
function programFailure(program: ProgramRun): string {
  if (program.timedOut) return 'The program was killed at the time limit';
  if (program.exitCode !== null && program.exitCode !== 0) return `The program exited with code ${program.exitCode}`;
  if (program.exitCode === null) return `The program was killed by ${program.signal ?? 'a signal'}`;
  if (program.connections === 0) return 'The program never connected to the database';
  return 'The program failed';
}

/** A few rows the program changed, before → after, under their table. */
function changeSamples(change: TableChange): string {
  if (!change.samples.length) return '';
  return `<ul class="samples">${change.samples.map((sample) => `<li>${escapeHtml(formatChangeSample(sample))}</li>`).join('')}</ul>`;
}
