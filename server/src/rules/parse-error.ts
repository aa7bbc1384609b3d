import { Rule } from '../lint/rule';
import { DIALECTS, DIALECT_NAMES } from '../parse/dialect';

export const rule: Rule = {
  id: 'parse-error',
  severity: 'error',
  summary: 'SQL that PostgreSQL cannot parse: the migration will fail at this statement.',
  dialects: DIALECTS,
  examples: { bad: 'ALTER TABLE users ADD COLUMN;', good: 'ALTER TABLE users ADD COLUMN nickname text;' },
  check({ file, report }) {
    for (const statement of file.statements) {
      if (!statement.syntaxError) continue;
      if (statement.dialect === 'postgresql') {
        report({
          span: statement.syntaxError.fileSpan,
          message: `PostgreSQL will reject this statement: ${statement.syntaxError.message}.`,
          help: 'Fix the syntax; the statements after it were still checked.',
        });
        continue;
      }
      // node-sql-parser is not MySQL's own grammar: what it rejects may still run, so this is only a warning.
      const database = DIALECT_NAMES[statement.dialect];
      report({
        span: statement.syntaxError.fileSpan,
        severity: 'warning',
        message:
          `Preflight's ${database} parser cannot read this statement (${statement.syntaxError.message}): if it is a typo, ` +
          `the migration stops here; if ${database} accepts it, no rule could check it.`,
        help: `Fix the syntax if ${database} rejects it too. Otherwise silence this with a preflight-ignore parse-error comment saying why.`,
      });
    }
  },
};
