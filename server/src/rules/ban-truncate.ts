import { fileRole } from '../lint/file-role';
import { newTables } from '../lint/new-tables';
import { Rule } from '../lint/rule';
import { rowCountNote } from '../lint/table-size';
import { truncations } from '../lint/truncations';

export const rule: Rule = {
  id: 'ban-truncate',
  severity: 'warning',
  summary: 'TRUNCATE in a migration removes every row of an existing table under an ACCESS EXCLUSIVE lock.',
  examples: {
    bad: 'TRUNCATE sync_lookup;',
    good: 'CREATE TABLE sync_lookup_staging (record_id bigint);\nTRUNCATE sync_lookup_staging;',
  },
  check({ file, config, catalog, report }) {
    // Emptying tables is what seed, reset and remediation scripts are for; truncate-without-lock covers them.
    if (fileRole(file, config) !== 'migration') return;
    const created = newTables(file);
    for (const truncation of truncations(file)) {
      if (created.isNew(truncation.table, truncation.operation)) continue;
      report({
        span: truncation.tableSpan,
        message:
          `${truncation.subject} in a migration removes every row of ${truncation.table}${rowCountNote(catalog, truncation.table)} ` +
          'on every database it runs on, including rows written since the migration was written. It takes an ACCESS ' +
          'EXCLUSIVE lock (even reads wait until commit), and it is not MVCC-safe: transactions that started earlier see ' +
          'the table empty.',
        help:
          'Delete only the rows meant (DELETE ... WHERE, in batches on large tables). If the table is obsolete, stop ' +
          'using it and drop it in a later release; if it really must be emptied, say why in a preflight-ignore comment.',
      });
    }
  },
};
