import type { DryRunReport } from '../../../shared/protocol';
import type { LintResult } from '../lint/engine';
import type { Diagnostic } from '../lint/rule';
import type { Severity } from '../resolved-config';
import { LineIndex } from '../parse/text';

/** A lint result ready for output: paths as the user gave them, positions 1-based. */
export interface ReportFile {
  /** As given on the command line, or relative to the working directory. */
  displayPath: string;
  absolutePath: string;
  text: string;
  lines: LineIndex;
  diagnostics: PositionedDiagnostic[];
  /** `preflight check`: the file's dry-run (its failures and flagged scans are also in `diagnostics`). */
  dryRun?: DryRunReport;
}

export interface PositionedDiagnostic extends Diagnostic {
  /** 1-based line and column (UTF-16 code units, as editors count). */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ReportContext {
  /** Colours and other terminal niceties. */
  color: boolean;
  /**
   * The repository root: SARIF, GitLab, annotations and links name files relative to it, because that is
   * how GitHub and GitLab match them to the code (absent: the paths as given).
   */
  sourceRoot?: string;
  /** `--link-base`: links to lines become `<linkBase>/<path>#L3-L5` (e.g. `https://github.com/o/r/blob/<sha>`). */
  linkBase?: string;
  /** Running in GitHub Actions: the pretty output also emits annotations as workflow commands. */
  githubActions?: boolean;
}

/** Renders a lint run; every `--format` is one of these. */
export type LintReporter = (files: ReportFile[], context: ReportContext) => string;

export function positionDiagnostics(
  result: LintResult,
  text: string,
  displayPath: string,
  absolutePath: string,
): ReportFile {
  const lines = result.file?.lines ?? new LineIndex(text);
  const diagnostics = result.diagnostics.map((diagnostic) => {
    const start = lines.positionAt(diagnostic.span.start);
    const end = lines.positionAt(diagnostic.span.end);
    return {
      ...diagnostic,
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
    };
  });
  return { displayPath, absolutePath, text, lines, diagnostics };
}

export interface SeverityCounts {
  errors: number;
  warnings: number;
  infos: number;
}

export function countSeverities(files: ReportFile[]): SeverityCounts {
  const counts = { errors: 0, warnings: 0, infos: 0 };
  for (const file of files) {
    for (const diagnostic of file.diagnostics) {
      const key: Record<Severity, keyof SeverityCounts> = { error: 'errors', warning: 'warnings', info: 'infos' };
      counts[key[diagnostic.severity]]++;
    }
  }
  return counts;
}
