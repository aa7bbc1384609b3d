import type { Severity } from '../resolved-config';
import { DryRunReport, escapeHtml } from '../../../shared/protocol';
import { TIMELINE_STYLE, timelineSvg } from './html-timeline';
import { lineLink, repositoryPath } from './locations';
import {
  databaseLine,
  describeLock,
  describeSeqScan,
  lineRange,
  noteworthyScans,
  outcomeLine,
  serverAccessWarning,
  statementFigures,
  statusLabel,
} from './dry-run-text';
import { lockImpact } from './lock-timeline';
import { ruleDocsUrl, toolInfo } from './tool-info';
import { LintReporter, PositionedDiagnostic, ReportContext, ReportFile, countSeverities } from './types';

/**
 * One self-contained HTML page: inline CSS, no scripts, fonts, images or other URLs to fetch, and a
 * Content-Security-Policy that forbids them, so the page can be kept as a CI artifact and opened offline.
 */
export const htmlReporter: LintReporter = (files, context) => {
  const { errors, warnings, infos } = countSeverities(files);
  const shown = files.filter((file) => file.diagnostics.length > 0 || file.dryRun);
  const body = [
    `<header><h1>Preflight report</h1><p class="summary">${errors} ${plural(errors, 'error')}, ${warnings} ${plural(warnings, 'warning')}, ${infos} info in ${files.length} ${plural(files.length, 'file')}</p></header>`,
    shown.length > 0 ? fileIndex(shown, context) : '<p class="clean">No findings.</p>',
    ...shown.map((file, i) => fileSection(file, i, context)),
    `<footer>${escapeHtml(toolInfo().name)} ${escapeHtml(toolInfo().version)}</footer>`,
  ];
  return page('Preflight report', body.join('\n'));
};

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${STYLE}${TIMELINE_STYLE}${STATEMENT_STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function fileIndex(files: ReportFile[], context: ReportContext): string {
  const dryRuns = files.some((file) => file.dryRun);
  const rows = files.map((file, i) => {
    const { errors, warnings, infos } = countSeverities([file]);
    const dryRunCell = dryRuns ? `<td>${file.dryRun ? outcome(file.dryRun) : '–'}</td>` : '';
    return `<tr><td><a href="#file-${i}">${escapeHtml(repositoryPath(file, context))}</a></td><td>${errors}</td><td>${warnings}</td><td>${infos}</td>${dryRunCell}</tr>`;
  });
  const outcomeHeader = dryRuns ? '<th>Dry-run</th>' : '';
  return `<table class="index"><thead><tr><th>File</th><th>Errors</th><th>Warnings</th><th>Info</th>${outcomeHeader}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function fileSection(file: ReportFile, index: number, context: ReportContext): string {
  const findings = file.diagnostics.map((diagnostic) => finding(file, diagnostic, context));
  const dryRun = file.dryRun ? dryRunSection(file, file.dryRun, context) : '';
  return `<section class="file" id="file-${index}"><h2>${escapeHtml(repositoryPath(file, context))}</h2>\n${findings.join('\n')}${dryRun}</section>`;
}

function outcome(report: DryRunReport): string {
  return `<span class="outcome outcome-${report.outcome}">${escapeHtml(outcomeLine(report))}</span>`;
}

/** The dry-run of one file: where it ran, the lock timeline, and what each statement did. */
function dryRunSection(file: ReportFile, report: DryRunReport, context: ReportContext): string {
  const notes = [
    serverAccessWarning(report),
    ...report.database.notReplayed.map((entry) => `Not replayed: ${entry.file}: ${entry.reason}`),
    ...report.sideEffects.map((effect) => `Survives the rollback: ${effect.kind} ${effect.object}: ${effect.detail}`),
  ].filter((note): note is string => note !== undefined);
  return [
    `<h3>Dry-run: ${outcome(report)} <span class="where">on ${escapeHtml(databaseLine(report))}</span></h3>`,
    notes.length > 0 ? `<ul class="notes">${notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>` : '',
    `<h4>Locks</h4>`,
    timelineSvg(report),
    `<h4>Statements</h4>`,
    statementTable(file, report, context),
  ].join('\n');
}

function statementTable(file: ReportFile, report: DryRunReport, context: ReportContext): string {
  const rows = report.statements.map((s) => {
    const lines = lineRange(s);
    const where = context.linkBase
      ? `<a href="${escapeHtml(lineLink(file, context, s.line, s.endLine))}">${lines}</a>`
      : lines;
    const locks = s.locks
      .map(
        (lock) => `<span class="impact-text impact-${lockImpact(lock.mode)}">${escapeHtml(describeLock(lock))}</span>`,
      )
      .join('<br>');
    const scans = noteworthyScans(s)
      .map((scan) => escapeHtml(describeSeqScan(scan)))
      .join('<br>');
    const error = s.error
      ? `<code>${escapeHtml(s.error.code)}</code> ${escapeHtml(s.error.message)}${s.error.hint ? `<br><span class="help">hint: ${escapeHtml(s.error.hint)}</span>` : ''}`
      : s.reason
        ? escapeHtml(s.reason)
        : '';
    return (
      `<tr class="status-${escapeHtml(s.status)}" data-statement-index="${s.index}"><td>${s.index + 1}</td><td>${where}</td><td><pre>${escapeHtml(s.sql)}</pre></td>` +
      `<td class="status" data-status="${escapeHtml(s.status)}">${escapeHtml(statusLabel(s))}</td><td class="number">${escapeHtml(statementFigures(s))}</td>` +
      `<td>${locks}</td><td>${scans}</td><td>${error}</td></tr>`
    );
  });
  return (
    `<table class="statements"><thead><tr><th>#</th><th>Lines</th><th>Statement</th><th>Status</th><th>Rows · time</th><th>Locks</th><th>Flagged scans</th><th>Error</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

const SEVERITY_CLASSES: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info' };

function finding(file: ReportFile, d: PositionedDiagnostic, context: ReportContext): string {
  const lines = d.endLine > d.line ? `lines ${d.line}–${d.endLine}` : `line ${d.line}`;
  // Without --link-base there is nothing to link to: the page may be opened far from the checkout.
  const where = context.linkBase
    ? `<a href="${escapeHtml(lineLink(file, context, d.line, d.endLine))}">${lines}</a>`
    : lines;
  const docs = ruleDocsUrl(d.rule);
  const rule = docs
    ? `<a href="${escapeHtml(docs)}"><code>${escapeHtml(d.rule)}</code></a>`
    : `<code>${escapeHtml(d.rule)}</code>`;
  return [
    `<article class="finding ${SEVERITY_CLASSES[d.severity]}">`,
    `<p class="head"><span class="severity">${d.severity}</span> ${rule} <span class="where">${where}</span></p>`,
    `<p class="message">${escapeHtml(d.message)}</p>`,
    d.help ? `<p class="help">${escapeHtml(d.help)}</p>` : '',
    codeFrame(file, d),
    `</article>`,
  ].join('');
}

const FRAME_CONTEXT_LINES = 2;
const FRAME_MAX_LINES = 12;

/** The flagged lines with a little context; the exact flagged range is marked. */
function codeFrame(file: ReportFile, d: PositionedDiagnostic): string {
  if (file.text.length === 0) return '';
  const first = Math.max(1, d.line - FRAME_CONTEXT_LINES);
  let last = Math.min(
    file.lines.lineCount,
    Math.max(d.endLine, d.line) + FRAME_CONTEXT_LINES,
    first + FRAME_MAX_LINES - 1,
  );
  while (last > d.endLine && file.lines.lineText(last - 1).trim() === '') last--;
  const rows: string[] = [];
  for (let line = first; line <= last; line++) {
    const text = file.lines.lineText(line - 1);
    const from = line === d.line ? d.column - 1 : line > d.line && line <= d.endLine ? 0 : text.length;
    const to = line === d.endLine ? d.endColumn - 1 : line >= d.line && line < d.endLine ? text.length : from;
    const marked =
      from < to
        ? `${escapeHtml(text.slice(0, from))}<mark>${escapeHtml(text.slice(from, to))}</mark>${escapeHtml(text.slice(to))}`
        : escapeHtml(text);
    rows.push(
      `<span class="line${line >= d.line && line <= d.endLine ? ' flagged' : ''}"><span class="number">${line}</span>${marked}</span>`,
    );
  }
  // Each line is a block of its own: a newline between them would show as an empty line.
  return `<pre class="frame">${rows.join('')}</pre>`;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #fff; --panel: #f6f8fa; --border: #d1d9e0;
  --error: #cf222e; --warning: #9a6700; --info: #0969da; --mark: #fff8c5; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23; --border: #3d444d;
  --error: #f85149; --warning: #d29922; --info: #4493f8; --mark: #4d3a00; } }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.6rem; margin: 0; } h2 { font-size: 1.15rem; margin: 2rem 0 .75rem; font-family: ui-monospace, monospace; } h3 { font-size: 1rem; }
.summary, footer { color: var(--muted); }
table { border-collapse: collapse; margin: .75rem 0; } th, td { border: 1px solid var(--border); padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: var(--panel); }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; }
a { color: var(--info); }
.finding { border: 1px solid var(--border); border-left: 4px solid var(--info); border-radius: 6px; padding: .5rem .9rem; margin: .75rem 0; background: var(--bg); }
.finding.error { border-left-color: var(--error); } .finding.warning { border-left-color: var(--warning); }
.finding p { margin: .3rem 0; }
.severity { font-weight: 600; text-transform: uppercase; font-size: 11px; letter-spacing: .04em; }
.error .severity { color: var(--error); } .warning .severity { color: var(--warning); } .info .severity { color: var(--info); }
.where { color: var(--muted); } .help { color: var(--muted); }
.frame { background: var(--panel); border-radius: 4px; padding: .5rem 0; overflow-x: auto; }
.frame .line { display: block; padding: 0 .75rem 0 0; white-space: pre; }
.frame .line.flagged { background: color-mix(in srgb, var(--mark) 45%, transparent); }
.frame .number { display: inline-block; width: 3.5em; padding-right: .75em; text-align: right; color: var(--muted); user-select: none; }
mark { background: var(--mark); color: inherit; text-decoration: underline wavy var(--warning); }
`;

const STATEMENT_STYLE = `
.statements pre { margin: 0; white-space: pre-wrap; max-width: 28rem; }
.statements .number { text-align: right; white-space: nowrap; }
.statements .status-error td.status { color: var(--error); font-weight: 600; } .statements .status-skipped, .statements .status-not-run { color: var(--muted); }
.impact-text { font-weight: 600; } .impact-text.impact-reads-and-writes { color: var(--lock-reads); }
.impact-text.impact-writes { color: var(--lock-writes); } .impact-text.impact-schema-changes { color: var(--lock-ddl); }
.outcome-ok { color: #1a7f37; } .outcome-failed { color: var(--error); } .outcome-cancelled { color: var(--warning); }
h4 { margin: 1rem 0 .4rem; font-size: .95rem; }
`;
