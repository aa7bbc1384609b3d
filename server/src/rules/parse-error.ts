import { Rule } from '../lint/rule';

export const rule: Rule = {
  id: 'parse-error',
  severity: 'error',
  summary: 'SQL that PostgreSQL cannot parse: the migration will fail at this statement.',
  examples: { bad: 'ALTER TABLE users ADD COLUMN;', good: 'ALTER TABLE users ADD COLUMN nickname text;' },
  check({ file, report }) {
    for (const statement of file.statements) {
      if (!statement.syntaxError) continue;
      report({
        span: statement.syntaxError.fileSpan,
        message: `PostgreSQL will reject this statement: ${statement.syntaxError.message}.`,
        help: 'Fix the syntax; the statements after it were still checked.',
      });
    }
  },
};
