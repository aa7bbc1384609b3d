import type { Severity } from '../resolved-config';
import type { DryRunReport } from '../../../shared/protocol';
import { lineLink, repositoryPath } from './locations';
import { renderDryRunMarkdown } from './dry-run-markdown';
import { outcomeLine } from './dry-run-text';
import { ruleDocsUrl } from './tool-info';
import { LintReporter, PositionedDiagnostic, ReportContext, ReportFile, countSeverities } from './types';

/** GitHub refuses comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** First line of every comment, so a CI script can find (and edit) the previous one. */
export const COMMENT_MARKER = '<!-- preflight-report -->';

/**
 * A pull request comment: a summary table, then the findings grouped by file with links to their lines.
 * It always fits in one GitHub comment; what does not fit is counted and named at the end.
 */
export const markdownReporter: LintReporter = (files, context) => markdownReport(files, context, GITHUB_COMMENT_LIMIT);

export function markdownReport(files: ReportFile[], context: ReportContext, limit: number): string {
  const doc = new BoundedDocument(limit);
  const shown = files.filter((file) => file.diagnostics.length > 0 || file.dryRun);
  const dryRuns = shown.some((file) => file.dryRun);
  doc.add(`${COMMENT_MARKER}\n### Preflight\n\n${headline(files)}\n`, 'header');
  if (shown.length > 0) {
    doc.add(
      `\n| File | Errors | Warnings | Info |${dryRuns ? ' Dry-run |' : ''}\n|---|--:|--:|--:|${dryRuns ? '---|' : ''}\n`,
      'header',
    );
    for (const file of shown) {
      const { errors, warnings, infos } = countSeverities([file]);
      const dryRunCell = dryRuns ? ` ${file.dryRun ? outcome(file.dryRun) : '–'} |` : '';
      doc.add(
        `| [${code(repositoryPath(file, context))}](${fileLink(file, context)}) | ${errors} | ${warnings} | ${infos} |${dryRunCell}\n`,
        'file',
      );
    }
  }
  for (const file of shown) {
    doc.add(`\n#### [${code(repositoryPath(file, context))}](${fileLink(file, context)})\n\n`, 'file');
    for (const diagnostic of file.diagnostics) doc.add(findingItem(file, diagnostic, context), 'finding');
    if (file.dryRun) addDryRun(doc, file, file.dryRun, context);
  }
  return doc.finish();
}

function outcome(report: DryRunReport): string {
  return report.outcome === 'ok' ? outcomeLine(report) : `**${outcomeLine(report)}**`;
}

/**
 * The file's dry-run, as the dry-run's own markdown renders it, added piece by piece so that a long run is
 * cut between statements: the heading and table header, one block per statement row, then the errors and
 * side effects.
 */
function addDryRun(doc: BoundedDocument, file: ReportFile, report: DryRunReport, context: ReportContext): void {
  const lines = renderDryRunMarkdown(report, { displayPath: repositoryPath(file, context), headingLevel: 5 }).split(
    '\n',
  );
  const separator = lines.findIndex((line) => /^\|(\s*-+\s*\|)+\s*$/.test(line));
  let rowsEnd = separator + 1;
  while (rowsEnd < lines.length && lines[rowsEnd].startsWith('|')) rowsEnd++;
  doc.add(`\n${lines.slice(0, separator + 1).join('\n')}\n`, 'file');
  for (const row of lines.slice(separator + 1, rowsEnd)) doc.add(`${row}\n`, 'statement');
  const rest = lines.slice(rowsEnd).join('\n').trim();
  if (rest) doc.add(`\n${rest}\n`, 'notes');
}

function headline(files: ReportFile[]): string {
  const { errors, warnings, infos } = countSeverities(files);
  const checked = plural(files.length, 'migration file');
  if (errors + warnings + infos === 0) return `No findings in ${checked}.`;
  return `**${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${infos} info** in ${checked}.`;
}

const SEVERITY_LABELS: Record<Severity, string> = { error: '**error**', warning: '**warning**', info: 'info' };

function findingItem(file: ReportFile, d: PositionedDiagnostic, context: ReportContext): string {
  const docs = ruleDocsUrl(d.rule);
  const rule = docs ? `[${code(d.rule)}](${docs})` : code(d.rule);
  const lines = d.endLine > d.line ? `lines ${d.line}–${d.endLine}` : `line ${d.line}`;
  const where = `[${lines}](${lineLink(file, context, d.line, d.endLine)})`;
  const help = d.help ? `\n  ${escapeMarkdown(d.help)}` : '';
  return `- ${SEVERITY_LABELS[d.severity]} ${rule} at ${where}: ${escapeMarkdown(d.message)}${help}\n`;
}

function fileLink(file: ReportFile, context: ReportContext): string {
  return lineLink(file, context, 1).replace(/#L1$/, '');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Inline code that survives backticks inside it. */
export function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text.includes('`') ? ` ${text} ` : text}${fence}`;
}

/** Text from messages (SQL names, quotes, `*`, `<`) rendered literally, on one line. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]|#~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\s*\r?\n\s*/g, ' ');
}

type BlockKind = 'header' | 'file' | 'finding' | 'statement' | 'notes';

const OMITTED_NAMES: Record<Exclude<BlockKind, 'header'>, string> = {
  file: 'file',
  finding: 'finding',
  statement: 'dry-run statement',
  notes: 'dry-run error or side-effect section',
};

/**
 * Markdown that stays under a length limit: blocks are added in order until one does not fit; after
 * that nothing more is added, and the closing note says how much of each kind was left out.
 */
export class BoundedDocument {
  private readonly parts: string[] = [];
  private length = 0;
  private full = false;
  private readonly omitted = new Map<BlockKind, number>();

  /** Room kept for the closing note. */
  private static readonly RESERVE = 400;

  constructor(private readonly limit: number) {}

  add(text: string, kind: BlockKind): void {
    if (!this.full && this.length + text.length <= this.limit - BoundedDocument.RESERVE) {
      this.parts.push(text);
      this.length += text.length;
      return;
    }
    this.full = true;
    this.omitted.set(kind, (this.omitted.get(kind) ?? 0) + 1);
  }

  finish(): string {
    const left = [...this.omitted]
      .filter(([kind]) => kind !== 'header')
      .map(([kind, count]) => plural(count, OMITTED_NAMES[kind as Exclude<BlockKind, 'header'>]));
    if (this.full) {
      this.parts.push(
        `\n> [!NOTE]\n> This comment was cut to stay under GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character limit: ` +
          `${left.length > 0 ? left.join(', ') : 'some details'} not shown. The full report: \`--format html\`.\n`,
      );
    }
    return this.parts.join('');
  }
}
