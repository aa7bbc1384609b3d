import type { Severity } from '../resolved-config';
import { repositoryPath } from './locations';
import { LintReporter } from './types';

/**
 * GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff.
 * https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 */
export const githubReporter: LintReporter = (files, context) => {
  const findings = files.flatMap((file) => file.diagnostics.map((diagnostic) => ({ file, diagnostic })));
  // GitHub shows only the first 10 annotations of each kind per step: errors go first.
  findings.sort((a, b) => SEVERITY_ORDER[a.diagnostic.severity] - SEVERITY_ORDER[b.diagnostic.severity]);
  const lines = findings.map(({ file, diagnostic: d }) => {
    const properties: [string, string | number][] = [
      ['file', repositoryPath(file, context)],
      ['line', d.line],
      ['endLine', d.endLine],
      // GitHub accepts columns only when the annotation starts and ends on the same line.
      ...(d.line === d.endLine
        ? ([
            ['col', d.column],
            ['endColumn', d.endColumn],
          ] as [string, number][])
        : []),
      ['title', `${d.rule} (Preflight)`],
    ];
    const message = d.help ? `${d.message}\n${d.help}` : d.message;
    return `::${COMMANDS[d.severity]} ${properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',')}::${escapeData(message)}`;
  });
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
};

const COMMANDS: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** The runner reads one command per line: `%`, CR and LF in a message must be percent-encoded. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Properties are also split on `,` and end at `::`, so `:` and `,` are encoded too. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
