import { LintReporter, countSeverities } from './types';

/** The stable machine-readable format (version 1); other tools parse it, so its shape never changes. */
export const jsonReporter: LintReporter = (files) =>
  JSON.stringify(
    {
      version: 1,
      files: files.map((file) => ({
        path: file.displayPath,
        diagnostics: file.diagnostics.map((d) => ({
          rule: d.rule,
          severity: d.severity,
          message: d.message,
          help: d.help ?? null,
          line: d.line,
          column: d.column,
          endLine: d.endLine,
          endColumn: d.endColumn,
        })),
        // `preflight check` only: the dry-run report of the file (its JSON shape, version 1).
        ...(file.dryRun ? { dryRun: file.dryRun } : {}),
      })),
      summary: { files: files.length, ...countSeverities(files) },
    },
    null,
    2,
  ) + '\n';
