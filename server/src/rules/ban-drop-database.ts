import { Rule } from '../lint/rule';
import { sqlStatements } from '../lint/statements';

export const rule: Rule = {
  id: 'ban-drop-database',
  severity: 'error',
  summary: 'DROP DATABASE in a migration: every table and row of that database is deleted, with no undo.',
  examples: {
    bad: 'DROP DATABASE analytics;',
    good: '-- archive analytics with pg_dump, then drop it by hand\nSELECT 1;',
  },
  check({ file, report }) {
    for (const { statement, node } of sqlStatements(file, 'DropdbStmt')) {
      report({
        span: statement.fileSpan,
        message:
          `DROP DATABASE ${node.dbname} deletes the whole database, every table and row in it, and cannot be rolled back: ` +
          'it even refuses to run inside a transaction, so a later failure of this migration leaves it gone.',
        help: 'Drop databases by hand after taking a backup (pg_dump), never from a migration that runs on every environment.',
      });
    }
  },
};
