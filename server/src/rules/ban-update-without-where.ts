import { alterTableCommands } from '../lint/alter-table';
import { fileRole } from '../lint/file-role';
import { newTables } from '../lint/new-tables';
import { Rule } from '../lint/rule';
import { RowChange, rowChanges } from '../lint/row-changes';
import { rowCountNote } from '../lint/table-size';
import { DIALECTS, tableLabel } from '../parse/dialect';
import type { MigrationFile } from '../parse/migration';

export const rule: Rule = {
  id: 'ban-update-without-where',
  severity: 'warning',
  summary:
    'In a script, an UPDATE without a WHERE clause (or with one that is always true) overwrites every row of the table.',
  dialects: DIALECTS,
  examples: {
    fileName: 'scripts/remediation.sql',
    bad: "UPDATE visits SET status = 'over_limit';",
    good: "UPDATE visits SET status = 'over_limit' WHERE status <> 'over_limit' AND visit_count > visit_cap;",
  },
  check({ file, config, catalog, report }) {
    // In a migration a whole-table UPDATE or DELETE is the normal shape of a data migration, written and reviewed
    // as such (unbatched-backfill judges its size); in a script run by hand it is the classic slip.
    if (fileRole(file, config) !== 'script') return;
    const created = newTables(file);
    for (const change of rowChanges(file)) {
      if (change.action !== 'update' || !change.everyRow || created.isNew(change.table, change.operation)) continue;
      // Filling a column this migration just added is a backfill: there is nothing in it to overwrite.
      if (fillsNewColumns(file, change)) continue;
      const subject = change.statement ? 'UPDATE' : `${change.operation.call?.method}()`;
      const columns = change.setColumns.length > 0 ? change.setColumns.join(', ') : 'the columns it sets';
      report({
        span: change.tableSpan,
        message:
          `${subject} without a WHERE clause overwrites ${columns} in every row of ${tableLabel(change.table, file.dialect)}` +
          `${rowCountNote(catalog, change.table)}, including rows whose values the running application wrote on purpose.`,
        help:
          'Add a WHERE clause that selects the rows meant — the ids the fix is for, or a condition the rows to change ' +
          "meet and changed rows do not (WHERE status <> 'over_limit'), which also makes a re-run harmless.",
      });
    }
  },
};

/** Whether every column the UPDATE sets was added to its table earlier in the same `up`/`down` (or .sql file). */
function fillsNewColumns(file: MigrationFile, change: RowChange): boolean {
  if (change.setColumns.length === 0) return false;
  const before = file.operations.indexOf(change.operation);
  const added = new Set<string>();
  for (const command of alterTableCommands(file)) {
    const column = command.cmd.subtype === 'AT_AddColumn' ? command.cmd.def?.ColumnDef?.colname : undefined;
    if (column && command.table === change.table && sameSectionBefore(file, command.operation, change, before))
      added.add(column);
  }
  return change.setColumns.every((column) => added.has(column));
}

function sameSectionBefore(
  file: MigrationFile,
  operation: RowChange['operation'],
  change: RowChange,
  before: number,
): boolean {
  return operation.section === change.operation.section && file.operations.indexOf(operation) < before;
}
