import { actionFileSpan, alterTableCommands } from '../lint/alter-table';
import { newTables } from '../lint/new-tables';
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
    const created = newTables(file);
    for (const command of alterTableCommands(file)) {
      if (command.cmd.subtype !== 'AT_DropNotNull' || created.isNew(command.table, command.operation)) continue;
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
