import { Rule } from '../lint/rule';
import { DIALECTS, Dialect, tableLabel } from '../parse/dialect';
import { PgNode } from '../parse/ast';
import { analyzeFilter, filterTargets } from '../schema/index-usage';
import { forEachWithCatalog } from '../schema/replay';

export const rule: Rule = {
  id: 'unindexed-filter',
  severity: 'warning',
  summary: 'UPDATE, DELETE or SELECT ... FOR UPDATE whose WHERE clause no index of the table can serve.',
  dialects: DIALECTS,
  options: {
    rowThreshold: {
      type: 'number',
      default: 10_000,
      description: 'Tables a live database estimates below this many rows are reported as info: a scan of them is cheap.',
    },
  },
  check({ file, catalog, options, report }) {
    // Without a schema there is nothing to say: every table would be "unknown", and guesses are noise.
    if (!catalog) return;
    const threshold = options.rowThreshold as number;
    forEachWithCatalog(file, catalog, (operation, current) => {
      const statement = operation.statement;
      if (!statement?.node) return;
      for (const target of filterTargets(statement.node, file.dialect)) {
        // Tables created by this migration are empty while it runs; tables the schema does not know, or knows
        // only in part, cannot be judged.
        const table = current.tables.get(target.table);
        if (!catalog.tables.has(target.table) || !table || table.uncertain) continue;
        const analysis = analyzeFilter(target, table);
        if (analysis.served) continue;
        const rows = table.rowEstimate;
        const size = rows !== undefined ? ` (about ${rows.toLocaleString('en-US')} rows)` : '';
        const name = tableLabel(target.table, file.dialect);
        const detail = analysis.nearMiss ?? `${name} has no index at all`;
        // Name the conditions no index can serve, unless the near miss already did.
        const unnamed = analysis.unusable.filter((u) => !detail.includes(`tested with ${u.why}`));
        const unusable = unnamed.length ? ` ${unnamed.map((u) => `${u.why} on ${u.column}`).join(', ')} cannot use an index.` : '';
        const scan =
          file.dialect === 'postgresql'
            ? `PostgreSQL scans the whole table${size} while the statement holds its locks`
            : // InnoDB locks every row an UPDATE, DELETE or locking read examines, not only the rows that match.
              `InnoDB scans the whole table${size} and locks every row it reads until the transaction ends`;
        report({
          span: { start: statement.locate(firstLocation(target.where)).start, end: operation.fileSpan.end },
          severity: rows !== undefined && rows < threshold ? 'info' : undefined,
          message: `${target.verb} ${name} filters rows that no index can find, so ${scan}: ${detail}.${unusable}`,
          help: help(analysis.proposal, name, analysis.unusable.length > 0, file.dialect),
        });
      }
    });
  },
};

function help(proposal: { columns: string; name: string } | undefined, table: string, hasUnusable: boolean, dialect: Dialect): string {
  const rewrite = hasUnusable ? ' Where the filter uses NOT IN (subquery), NOT EXISTS can use an index of the other table.' : '';
  if (!proposal) return `Filter on an indexed column, or add an index that matches the filter in its own migration.${rewrite}`;
  if (dialect !== 'postgresql') {
    // MySQL 8.0.13+ indexes an expression written in its own parentheses: `ADD INDEX i ((date(created_at)))`.
    const key = proposal.columns.includes('(') ? `(${proposal.columns})` : proposal.columns;
    return (
      `Add the index first, in its own migration; InnoDB builds it online, without blocking reads or writes: ` +
      `ALTER TABLE ${table} ADD INDEX ${proposal.name} (${key}), ALGORITHM=INPLACE, LOCK=NONE;${rewrite}`
    );
  }
  return (
    `Add the index first, in its own migration that runs outside a transaction (CREATE INDEX CONCURRENTLY does not ` +
    `block writes but cannot run inside one): CREATE INDEX CONCURRENTLY ${proposal.name} ON ${table} (${proposal.columns});${rewrite}`
  );
}

/** The byte location where the WHERE clause starts: the smallest location in it (an operator's is its own). */
function firstLocation(where: PgNode): number {
  let first = Number.MAX_SAFE_INTEGER;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'location' && typeof child === 'number' && child >= 0) first = Math.min(first, child);
      else visit(child);
    }
  };
  visit(where);
  return first === Number.MAX_SAFE_INTEGER ? 0 : first;
}
