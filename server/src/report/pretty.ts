import { docsPath } from '../lint/registry';
import type { Severity } from '../resolved-config';
import { renderDryRunPretty } from './dry-run-pretty';
import { githubReporter } from './github';
import { LintReporter, PositionedDiagnostic, ReportFile, countSeverities } from './types';

const COLORS = { red: 31, yellow: 33, blue: 34, cyan: 36, dim: 2, bold: 1 } as const;
type Color = keyof typeof COLORS;

const SEVERITY_COLORS: Record<Severity, Color> = { error: 'red', warning: 'yellow', info: 'blue' };

/** Human-readable output: location, severity, rule, message, a code frame, the help and the docs page. */
export const prettyReporter: LintReporter = (files, context) => {
  const { color } = context;
  const paint = (name: Color, text: string) => (color ? `\x1b[${COLORS[name]}m${text}\x1b[0m` : text);
  const out: string[] = [];
  for (const file of files) {
    for (const diagnostic of file.diagnostics) {
      const where = paint('bold', `${file.displayPath}:${diagnostic.line}:${diagnostic.column}`);
      out.push(
        `${where} ${paint(SEVERITY_COLORS[diagnostic.severity], diagnostic.severity)} ${paint('dim', diagnostic.rule)}`,
      );
      out.push(`  ${diagnostic.message}`);
      out.push(...codeFrame(file, diagnostic).map((line) => paint('dim', line)));
      if (diagnostic.help) out.push(`  ${paint('cyan', 'help:')} ${diagnostic.help}`);
      out.push(`  ${paint('cyan', 'docs:')} ${docsPath(diagnostic.rule)}`, '');
    }
    // `preflight check`: the file's dry-run, as `preflight dry-run` prints it.
    if (file.dryRun) out.push(renderDryRunPretty(file.dryRun, { displayPath: file.displayPath, color }));
  }
  const { errors, warnings, infos } = countSeverities(files);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  out.push(
    `${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info')} in ${plural(files.length, 'file')}`,
  );
  // In GitHub Actions the plain log also becomes annotations on the diff; machine formats never get these lines.
  return out.join('\n') + '\n' + (context.githubActions ? githubReporter(files, context) : '');
};

const FRAME_CONTEXT_LINES = 1;
const FRAME_MAX_LINES = 6;

function codeFrame(file: ReportFile, diagnostic: PositionedDiagnostic): string[] {
  if (file.text.length === 0) return [];
  const first = Math.max(1, diagnostic.line - FRAME_CONTEXT_LINES);
  const last = Math.min(file.lines.lineCount, diagnostic.endLine, diagnostic.line + FRAME_MAX_LINES - 1);
  const width = String(last).length;
  const frame: string[] = [];
  for (let line = first; line <= last; line++) {
    const text = file.lines.lineText(line - 1).replace(/\t/g, '  ');
    const marked = line >= diagnostic.line && line <= diagnostic.endLine;
    frame.push(`  ${marked ? '>' : ' '} ${String(line).padStart(width)} | ${text}`);
    if (line === diagnostic.line && diagnostic.endLine === diagnostic.line) {
      const caretLength = Math.max(1, diagnostic.endColumn - diagnostic.column);
      frame.push(`    ${' '.repeat(width)} | ${' '.repeat(diagnostic.column - 1)}${'^'.repeat(caretLength)}`);
    }
  }
  return frame;
}
