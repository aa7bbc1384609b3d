import { PlanSummary, SeqScan } from '../../../shared/protocol';
import type { DryRunSession } from './session';

/** Tables from this size up are flagged when a statement scans them sequentially. */
export const DEFAULT_SEQ_SCAN_THRESHOLD = 10_000;

/**
 * The plan of an UPDATE, DELETE, MERGE or INSERT ... SELECT, taken before it runs, and its sequential
 * scans. A scan of a table is flagged when the table is big; and to tell "the planner preferred a scan
 * of a small table" from "no index can serve this filter" (incident 1: a filter on the second column of
 * the only index), the statement is planned once more with `enable_seqscan = off`: a sequential scan that
 * remains has no index to use. Everything happens in a savepoint that is rolled back, so the setting and
 * the locks taken for planning do not outlive it.
 */
export async function inspectPlan(
  session: DryRunSession,
  text: string,
  threshold: number,
): Promise<PlanSummary | null> {
  await session.internal('SAVEPOINT preflight_explain');
  try {
    const explain = await explainJson(session, text);
    const scans = sequentialScans(explain);
    let seqScans: SeqScan[] = [];
    if (scans.length > 0) {
      const sizes = await tableSizes(session, scans);
      await session.internal('SET LOCAL enable_seqscan = off');
      const served = indexServed(await explainJson(session, text));
      seqScans = scans.map((scan) => {
        const estimatedRows = sizes.get(scan.relation) ?? 0;
        return {
          relation: scan.relation,
          estimatedRows,
          flagged: estimatedRows >= threshold,
          indexCouldServe: served.has(scan.relation),
          filter: scan.filter,
        };
      });
    }
    return { seqScans, explain };
  } catch (error) {
    // Planning takes the statement's own table locks: a lock timeout here is the statement's lock timeout.
    if (session.lost || (error as { code?: string }).code === '55P03') throw error;
    // Otherwise the statement itself fails and says why; a plan it cannot have is no error of its own.
    return null;
  } finally {
    if (!session.lost)
      await session.internal('ROLLBACK TO SAVEPOINT preflight_explain; RELEASE SAVEPOINT preflight_explain');
  }
}

async function explainJson(session: DryRunSession, text: string): Promise<unknown> {
  const { rows } = await session.internal<{ 'QUERY PLAN': unknown }>(
    `EXPLAIN (FORMAT JSON, VERBOSE) ${text}`,
    undefined,
    { single: true },
  );
  return rows[0]?.['QUERY PLAN'];
}

interface ScanNode {
  relation: string;
  schema: string;
  table: string;
  filter: string | null;
}

type PlanNode = Record<string, unknown>;

function planNodes(explain: unknown): PlanNode[] {
  const nodes: PlanNode[] = [];
  const visit = (node: PlanNode | undefined): void => {
    if (!node) return;
    nodes.push(node);
    for (const child of (node['Plans'] as PlanNode[] | undefined) ?? []) visit(child);
  };
  for (const entry of Array.isArray(explain) ? explain : []) visit((entry as { Plan?: PlanNode }).Plan);
  return nodes;
}

function relationOf(node: PlanNode): { relation: string; schema: string; table: string } | undefined {
  if (typeof node['Relation Name'] !== 'string') return undefined;
  const schema = String(node['Schema'] ?? 'public');
  const table = node['Relation Name'];
  return { relation: `${quoteName(schema)}.${quoteName(table)}`, schema, table };
}

/** The Seq Scan nodes of an EXPLAIN (FORMAT JSON, VERBOSE) result, once per table. */
function sequentialScans(explain: unknown): ScanNode[] {
  const scans = new Map<string, ScanNode>();
  for (const node of planNodes(explain)) {
    const relation = relationOf(node);
    if (node['Node Type'] !== 'Seq Scan' || !relation || scans.has(relation.relation)) continue;
    scans.set(relation.relation, { ...relation, filter: typeof node['Filter'] === 'string' ? node['Filter'] : null });
  }
  return [...scans.values()];
}

/**
 * Tables an index finds rows in: an index scan with an `Index Cond`, or a bitmap heap scan. An index scan
 * without a condition only reads the whole index instead of the whole table, which serves nothing.
 */
function indexServed(explain: unknown): Set<string> {
  const served = new Set<string>();
  for (const node of planNodes(explain)) {
    const relation = relationOf(node);
    if (!relation) continue;
    const type = node['Node Type'];
    const indexed =
      ((type === 'Index Scan' || type === 'Index Only Scan') && node['Index Cond'] !== undefined) ||
      type === 'Bitmap Heap Scan';
    if (indexed) served.add(relation.relation);
  }
  return served;
}

/** How `format('%I')` spells a name: quoted unless it is a plain lowercase identifier. */
function quoteName(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** Row estimates: `reltuples` once analysed, else the statistics collector's live tuple count. */
async function tableSizes(session: DryRunSession, scans: ScanNode[]): Promise<Map<string, number>> {
  const { rows } = await session.internal<{ schema: string; relname: string; rows: number }>(
    `SELECT r.schema, r.relname,
            GREATEST(c.reltuples, COALESCE(s.n_live_tup, 0), 0)::pg_catalog.float8 AS rows
       FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]), pg_catalog.unnest($2::pg_catalog.text[])) AS r(schema, relname)
       JOIN pg_catalog.pg_namespace n ON n.nspname = r.schema
       JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = r.relname
       LEFT JOIN pg_catalog.pg_stat_all_tables s ON s.relid = c.oid`,
    [scans.map((scan) => scan.schema), scans.map((scan) => scan.table)],
  );
  const sizes = new Map<string, number>();
  for (const row of rows) sizes.set(`${quoteName(row.schema)}.${quoteName(row.relname)}`, Math.round(Number(row.rows)));
  return sizes;
}
