import type { DryRunReport, DryRunStatement } from './dryRunReport';
import { escapeHtml, formatDuration, formatRows } from '../../shared/protocol';
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
  const rows = report.statements
    .map((statement) => renderStatement(statement, edited?.includes(statement.index) ?? false))
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
${sideEffects}
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  for (const row of document.querySelectorAll('tbody tr')) {
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
  const lines = statement.endLine > statement.line ? `${statement.line}–${statement.endLine}` : `${statement.line}`;
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

function outcomeText(report: DryRunReport): string {
  const failed = report.statements.filter((s) => s.status === 'error').length;
  switch (report.outcome) {
    case 'ok':
      return `${report.statements.length} ${report.statements.length === 1 ? 'statement' : 'statements'}, none failed`;
    case 'failed':
      return `${failed} ${failed === 1 ? 'statement' : 'statements'} failed`;
    case 'cancelled':
      return 'Cancelled';
  }
}
