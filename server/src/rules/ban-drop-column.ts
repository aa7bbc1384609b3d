import { actionFileSpan, commandsOnExistingTables } from '../lint/alter-table';
import { isRollback } from '../lint/migration-direction';
import { Rule } from '../lint/rule';

const HELP =
  'Stop reading and writing the column first (for ORMs, also drop it from the model so generated SELECT and ' +
  'INSERT lists no longer name it), deploy that, and drop the column in a later migration.';

export const rule: Rule = {
  id: 'ban-drop-column',
  severity: 'warning',
  summary: 'Dropping a column breaks the application code that still reads or writes it, and loses its data.',
  examples: {
    bad: 'ALTER TABLE users DROP COLUMN legacy_plan;',
    good: '-- the column is no longer used by any deployed code: drop it in its own migration\nALTER TABLE users ALTER COLUMN legacy_plan DROP NOT NULL;',
  },
  check({ file, report }) {
    for (const command of commandsOnExistingTables(file, 'AT_DropColumn')) {
      if (isRollback(file, command.operation)) continue;
      report({ span: actionFileSpan(command), message: message(command.cmd.name, command.table), help: HELP });
    }
  },
};

function message(column: string | undefined, table: string | undefined): string {
  const what = column ? `column ${column}` : 'a column';
  return (
    `Dropping ${what}${table ? ` of ${table}` : ''} deletes its data, and instances of the previous release that still ` +
    'select, insert or update it fail (`column does not exist`) from the moment this migration commits.'
  );
}
