import type { DeploymentVariant } from '../resolved-config';
import { Finding, Rule } from '../lint/rule';
import { reportPerVariant } from '../lint/variants';
import { DIALECTS, Dialect, tableLabel } from '../parse/dialect';
import { PgNode } from '../parse/ast';
import type { TableInfo } from '../schema/catalog';
import { FilterTarget, analyzeFilter, filterTargets } from '../schema/index-usage';
import { byPresence, undecidedConditions } from '../schema/variants';

export const rule: Rule = {
  id: 'unindexed-filter',
  severity: 'warning',
  summary: 'UPDATE, DELETE or SELECT ... FOR UPDATE whose WHERE clause no index of the table can serve.',
  dialects: DIALECTS,
  options: {
    rowThreshold: {
      type: 'number',
      default: 10_000,
      description:
        'Tables a live database estimates below this many rows are reported as info: a scan of them is cheap.',
    },
  },
  check({ file, catalog, catalogAt, config, options, report }) {
    // Without a schema there is nothing to say: every table would be "unknown", and guesses are noise.
    if (!catalog) return;
    const threshold = options.rowThreshold as number;
    for (const operation of file.operations) {
      const statement = operation.statement;
      if (!statement?.node) continue;
      for (const target of filterTargets(statement.node, file.dialect)) {
        // Tables created by this migration are empty while it runs; tables the schema does not know, or knows
        // only in part, cannot be judged. The indexes are those of the schema just before the statement.
        if (!catalog.tables.has(target.table)) continue;
        const table = catalogAt(operation).tables.get(target.table);
        if (!table || table.uncertain) continue;
        const span = { start: statement.locate(firstLocation(target.where)).start, end: operation.fileSpan.end };
        const judge = (variant: DeploymentVariant | undefined) => judgeFilter(target, table, variant, span, threshold);
        // An index created under a condition of the migration's code exists on some servers only: judged per
        // variant. Without one, every variant has the same indexes, and one judgement does.
        reportPerVariant(table.indexes.some((index) => index.onlyWhen) ? config.variants : [], judge, report);
      }
    }
  },
};

/**
 * The finding on `variant`'s servers: none when an index there serves the filter; a scan on the servers
 * without the index when only an index created under an undecided condition does; otherwise a scan everywhere.
 */
function judgeFilter(
  target: FilterTarget,
  table: TableInfo,
  variant: DeploymentVariant | undefined,
  span: Finding['span'],
  threshold: number,
): Finding | undefined {
  const { everywhere, someServers } = byPresence(table.indexes, variant);
  const present = everywhere.length === table.indexes.length ? table : { ...table, indexes: everywhere };
  const analysis = analyzeFilter(target, present);
  if (analysis.served) return undefined;
  const dialect = target.dialect;
  const rows = table.rowEstimate;
  const size = rows !== undefined ? ` (about ${rows.toLocaleString('en-US')} rows)` : '';
  const name = tableLabel(target.table, dialect);
  const scan =
    dialect === 'postgresql'
      ? `PostgreSQL scans the whole table${size} while the statement holds its locks`
      : // InnoDB locks every row an UPDATE, DELETE or locking read examines, not only the rows that match.
        `InnoDB scans the whole table${size} and locks every row it reads until the transaction ends`;
  const severity = rows !== undefined && rows < threshold ? 'info' : undefined;
  const conditional = someServers.find(
    (index) => analyzeFilter(target, { ...table, indexes: [...everywhere, index] }).served,
  );
  if (conditional) {
    return {
      span,
      severity,
      message:
        `${target.verb} ${name} filters rows through an index that exists on some servers only: the index ` +
        `${conditional.name} is created only when ${undecidedConditions(conditional.onlyWhen, variant)}: elsewhere ${scan}.`,
      help:
        `Create the index on every server, in its own migration outside the condition (CREATE INDEX CONCURRENTLY ... ` +
        `IF NOT EXISTS), or run this statement only where the index exists.`,
    };
  }
  const detail = analysis.nearMiss ?? `${name} has no index at all`;
  // Name the conditions no index can serve, unless the near miss already did.
  const unnamed = analysis.unusable.filter((u) => !detail.includes(`tested with ${u.why}`));
  const unusable = unnamed.length
    ? ` ${unnamed.map((u) => `${u.why} on ${u.column}`).join(', ')} cannot use an index.`
    : '';
  return {
    span,
    severity,
    message: `${target.verb} ${name} filters rows that no index can find, so ${scan}: ${detail}.${unusable}`,
    help: help(analysis.proposal, name, analysis.unusable.length > 0, dialect),
  };
}

function help(
  proposal: { columns: string; name: string } | undefined,
  table: string,
  hasUnusable: boolean,
  dialect: Dialect,
): string {
  const rewrite = hasUnusable
    ? ' Where the filter uses NOT IN (subquery), NOT EXISTS can use an index of the other table.'
    : '';
  if (!proposal)
    return `Filter on an indexed column, or add an index that matches the filter in its own migration.${rewrite}`;
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
