import { newTables } from '../lint/new-tables';
import { isRollback } from '../lint/migration-direction';
import { Rule } from '../lint/rule';
import { droppedObjects, sqlStatements } from '../lint/statements';

const HELP =
  'First deploy code that no longer reads or writes the table, keep a backup (pg_dump -t), and drop it in a later ' +
  'migration; or rename it first and drop it once nothing has failed for a while.';

export const rule: Rule = {
  id: 'ban-drop-table',
  severity: 'warning',
  summary: 'DROP TABLE deletes the table and its data, and breaks code that still uses it.',
  examples: {
    bad: 'DROP TABLE invoices;',
    good: 'CREATE TABLE import_staging (id bigint);\nDROP TABLE import_staging;',
  },
  check({ file, report }) {
    const created = newTables(file);
    for (const dropped of sqlStatements(file, 'DropStmt')) {
      if (dropped.node.removeType !== 'OBJECT_TABLE' || isRollback(file, dropped.operation)) continue;
      for (const object of droppedObjects(dropped)) {
        if (created.isNew(object.name, dropped.operation)) continue;
        report({ span: object.span, message: message(object.name), help: HELP });
      }
    }
  },
};

function message(table: string): string {
  return (
    `Dropping ${table} deletes its rows for good and takes an ACCESS EXCLUSIVE lock; application instances still ` +
    'running the previous release fail on every query that touches it.'
  );
}
