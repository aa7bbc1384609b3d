import { fileRole } from '../lint/file-role';
import { newTables } from '../lint/new-tables';
import { Rule } from '../lint/rule';
import { rowChanges } from '../lint/row-changes';
import { rowCountNote } from '../lint/table-size';
import { DIALECTS, tableLabel } from '../parse/dialect';

export const rule: Rule = {
  id: 'ban-delete-without-where',
  severity: 'warning',
  summary:
    'In a script, a DELETE without a WHERE clause (or with one that is always true) removes every row of the table.',
  dialects: DIALECTS,
  examples: {
    fileName: 'scripts/remediation.sql',
    bad: 'DELETE FROM sync_lookup;',
    good: "DELETE FROM sync_lookup WHERE record_type = 'link' AND record_id IN (SELECT id FROM duplicate_links);",
  },
  check({ file, config, catalog, report }) {
    // In a migration a whole-table UPDATE or DELETE is the normal shape of a data migration, written and reviewed
    // as such (unbatched-backfill judges its size); in a script run by hand it is the classic slip.
    if (fileRole(file, config) !== 'script') return;
    const created = newTables(file);
    for (const change of rowChanges(file)) {
      if (change.action !== 'delete' || !change.everyRow || created.isNew(change.table, change.operation)) continue;
      const subject = change.statement ? 'DELETE' : `${change.operation.call?.method}()`;
      report({
        span: change.tableSpan,
        message:
          `${subject} without a WHERE clause removes every row of ${tableLabel(change.table, file.dialect)}${rowCountNote(catalog, change.table)}, ` +
          'including rows that other features, clients or later writes put there, not only the ones this change is about.',
        help:
          'Add a WHERE clause naming the rows meant (e.g. the rows this migration inserted, by key). If emptying the ' +
          'table is the point, say why in a preflight-ignore comment so that reviewers see it was meant.',
      });
    }
  },
};
