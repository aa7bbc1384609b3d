import { parseArgs } from 'util';
import { allRules, docsPath } from '../lint/registry';
import { ruleDialects } from '../lint/rule';
import type { CommandIO } from './io';
import { EXIT_OK, choice } from './usage';

export const RULES_USAGE = `Usage: preflight rules [--format pretty|json]

Lists every rule with its default severity, whether it has a quick fix, and its docs page (JSON: also the
dialects it checks; most rules are PostgreSQL's only).
`;

export async function rulesCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { format: { type: 'string' } } });
  const format = choice('format', values.format, ['pretty', 'json'], 'pretty');
  const rows = [...allRules().values()].map((rule) => ({
    id: rule.id,
    severity: rule.severity,
    fixable: rule.fixable ?? false,
    dialects: ruleDialects(rule),
    docs: docsPath(rule.id),
    summary: rule.summary,
  }));
  if (format === 'json') {
    io.stdout(
      JSON.stringify(
        rows.map(({ summary, ...row }) => row),
        null,
        2,
      ) + '\n',
    );
  } else {
    const width = Math.max(...rows.map((row) => row.id.length));
    io.stdout(
      rows
        .map(
          (row) => `${row.id.padEnd(width)}  ${row.severity.padEnd(7)}  ${row.fixable ? 'fix' : '   '}  ${row.summary}`,
        )
        .join('\n') + '\n',
    );
  }
  return EXIT_OK;
}
