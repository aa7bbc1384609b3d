import { actionFileSpan, commandsOnExistingTables } from '../lint/alter-table';
import { isRollback } from '../lint/migration-direction';
import { Rule } from '../lint/rule';

export const rule: Rule = {
  id: 'ban-drop-not-null',
  severity: 'warning',
  summary: 'Dropping NOT NULL lets NULLs into a column that code and other queries assume is always set.',
  examples: {
    bad: 'ALTER TABLE orders ALTER COLUMN customer_id DROP NOT NULL;',
    good: 'ALTER TABLE orders ALTER COLUMN customer_id SET DEFAULT 0;',
  },
  check({ file, report }) {
    for (const command of commandsOnExistingTables(file, 'AT_DropNotNull')) {
      if (isRollback(file, command.operation)) continue;
      report({
        span: actionFileSpan(command),
        message:
          `Column ${command.cmd.name} of ${command.table} may hold NULL from now on: application code, reports, ` +
          'triggers and PL/pgSQL written for a guaranteed value start receiving NULLs (and `NOT IN` subqueries over it ' +
          'silently match nothing).',
        help: 'Check every reader of the column first; if a missing value must be representable, consider a sentinel value or a separate nullable column.',
      });
    }
  },
};
