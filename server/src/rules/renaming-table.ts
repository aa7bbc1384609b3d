import { newTables } from '../lint/new-tables';
import { isRollback } from '../lint/migration-direction';
import { Rule } from '../lint/rule';
import { qualifiedName } from '../parse/ast';
import { sqlStatements } from '../lint/statements';

const HELP =
  'Create the new name as a view over the old table (or rename, then create a view with the old name), move ' +
  'readers and writers to the new name, and remove the old one in a later release.';

export const rule: Rule = {
  id: 'renaming-table',
  severity: 'warning',
  summary: 'Renaming a table breaks every running query and deployed release that uses the old name.',
  examples: {
    bad: 'ALTER TABLE customers RENAME TO accounts;',
    good: 'CREATE TABLE accounts_new (id bigint);\nALTER TABLE accounts_new RENAME TO accounts_v2;',
  },
  check({ file, report }) {
    const created = newTables(file);
    for (const { statement, node, operation } of sqlStatements(file, 'RenameStmt')) {
      if (node.renameType !== 'OBJECT_TABLE') continue;
      const table = qualifiedName(node.relation);
      if (created.isNew(table, operation) || isRollback(file, operation)) continue;
      report({ span: statement.fileSpan, message: message(table, node.newname), help: HELP });
    }
  },
};

function message(table: string | undefined, newName: string | undefined): string {
  return (
    `Renaming ${table ?? 'a table'}${newName ? ` to ${newName}` : ''} takes an ACCESS EXCLUSIVE lock and, once committed, ` +
    'every instance of the previous release fails on queries that use the old name.'
  );
}
