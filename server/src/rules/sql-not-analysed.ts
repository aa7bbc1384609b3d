import { Rule } from '../lint/rule';

/** Lines listed in the message before "and N more". */
const LISTED_LINES = 5;

export const rule: Rule = {
  id: 'sql-not-analysed',
  severity: 'info',
  summary: 'Queries whose SQL the file does not show (built elsewhere, passed in): no rule checked them.',
  examples: {
    fileName: 'example.ts',
    bad:
      "import { Pool } from 'pg';\nimport { buildBackfill } from './sql';\n" +
      'export async function run(pool: Pool): Promise<void> {\n  await pool.query(buildBackfill(2024));\n}\n',
    good:
      "import { Pool } from 'pg';\n" +
      "export async function run(pool: Pool): Promise<void> {\n  await pool.query('UPDATE visits SET year = 2024 WHERE year IS NULL');\n}\n",
  },
  check({ file, report }) {
    const opaque = file.host?.opaqueQueries ?? [];
    if (opaque.length === 0) return;
    const lines = opaque.map((span) => file.lines.positionAt(span.start).line + 1);
    const listed =
      lines.slice(0, LISTED_LINES).join(', ') +
      (lines.length > LISTED_LINES ? ` and ${lines.length - LISTED_LINES} more` : '');
    const queries = opaque.length === 1 ? 'One query sends' : `${opaque.length} queries send`;
    // Once per file, at the first such query: a notice of what the lint could not see, not a finding per call.
    report({
      span: opaque[0],
      message:
        `${queries} SQL that is not written in this file (line${lines.length === 1 ? '' : 's'} ${listed}): Preflight cannot ` +
        'see those statements, so no rule checked their locks, filters or transactions.',
      help:
        'Write the SQL where it is sent (a string literal, a template, or a const of this file), or dry-run the ' +
        'script against a database to see what it really sends. If the statements are checked elsewhere, turn this ' +
        'notice off for the file: `// preflight-ignore-file sql-not-analysed`.',
    });
  },
};
