import { newTables } from '../lint/new-tables';
import { isRollback } from '../lint/migration-direction';
import { Rule } from '../lint/rule';
import { qualifiedName } from '../parse/ast';
import { sqlStatements } from '../lint/statements';

const HELP =
  'Add the new column, write to both (or use a view or a generated column during the transition), move readers to ' +
  'the new name, and drop the old column in a later release.';

export const rule: Rule = {
  id: 'renaming-column',
  severity: 'warning',
  summary: 'Renaming a column breaks every running query and deployed release that uses the old name.',
  examples: {
    bad: 'ALTER TABLE users RENAME COLUMN email TO email_address;',
    good: 'ALTER TABLE users ADD COLUMN email_address text;',
  },
  check({ file, report }) {
    const created = newTables(file);
    for (const { statement, node, operation } of sqlStatements(file, 'RenameStmt')) {
      if (node.renameType !== 'OBJECT_COLUMN' || node.relationType !== 'OBJECT_TABLE') continue;
      const table = qualifiedName(node.relation);
      if (created.isNew(table, operation) || isRollback(file, operation)) continue;
      report({ span: statement.fileSpan, message: message(node.subname, table), help: HELP });
    }
  },
};

function message(column: string | undefined, table: string | undefined): string {
  return (
    `Renaming ${column ? `column ${column}` : 'a column'}${table ? ` of ${table}` : ''} is instant, but from that moment ` +
    'every instance of the previous release fails on queries that use the old name, until the deploy finishes.'
  );
}
