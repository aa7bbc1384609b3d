import { newTables } from '../lint/new-tables';
import { Rule } from '../lint/rule';
import { rowChanges, sweepsTable } from '../lint/row-changes';
import { formatRowCount, rowEstimate } from '../lint/table-size';

export const rule: Rule = {
  id: 'unbatched-backfill',
  severity: 'warning',
  summary: 'An UPDATE over a whole existing table in one statement (a backfill), instead of batches.',
  options: {
    minRows: {
      type: 'number',
      default: 100000,
      description:
        'With row estimates from a live database, tables with fewer rows are not flagged. Without an estimate the ' +
        'finding is information only.',
    },
  },
  examples: {
    bad: 'UPDATE visits SET billing_status = status WHERE billing_status IS NULL;',
    good: 'UPDATE visits SET billing_status = status\n WHERE id IN (SELECT id FROM visits WHERE billing_status IS NULL ORDER BY id LIMIT 5000);',
  },
  check({ file, catalog, options, report }) {
    const created = newTables(file);
    const minRows = Number(options.minRows);
    for (const change of rowChanges(file)) {
      if (change.action !== 'update' || created.isNew(change.table, change.operation)) continue;
      if (change.fields ? !sweepsTable(change.fields.whereClause) : !change.everyRow) continue;
      const estimate = rowEstimate(catalog, change.table);
      if (estimate !== undefined && estimate < minRows) continue;
      const size = estimate === undefined ? '' : ` (about ${formatRowCount(estimate)} rows)`;
      const which = change.everyRow
        ? `every row of ${change.table}${size}`
        : `the rows of ${change.table}${size} that its WHERE selects (a NULL test or a join, not a batch)`;
      report({
        span: change.tableSpan,
        severity: estimate === undefined ? 'info' : undefined,
        message:
          `This updates ${which} in one statement: one transaction that writes a new version ` +
          'of each row (the table and its indexes grow, WAL and replicas fall behind) and keeps every changed row locked ' +
          "until it commits, so the application's writes to those rows wait" +
          (estimate === undefined ? ' — harmless on a small table, an outage on a large one.' : '.'),
        help:
          'Backfill in batches that each commit: repeat UPDATE ... WHERE id IN (SELECT id FROM <table> WHERE <not yet ' +
          "done> ORDER BY id LIMIT 5000) until it updates nothing, from a script or job outside the migration's " +
          'transaction (or a procedure that COMMITs between batches).',
      });
    }
  },
};
