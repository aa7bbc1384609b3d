import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Client } from 'pg';
import { ConfigCache } from '../server/src/config';
import { initEngine, lintText } from '../server/src/lint/engine';
import { parseMigration } from '../server/src/parse/migration';
import { canonicalText } from '../server/src/schema/expression';
import { filterTargets } from '../server/src/schema/index-usage';
import { SchemaSources, catalogFor } from '../server/src/schema/sources';
import { REPO_ROOT } from './support/paths';
import { connect, freshDatabase } from './support/postgres';

/**
 * The rule's verdicts checked against PostgreSQL's planner: each fixture migration directory is applied to a real
 * database, and every UPDATE, DELETE and locking SELECT of its bad/good files is EXPLAINed with sequential scans
 * disabled. A target table the planner still reads with a Seq Scan, or with an index scan that has no Index Cond
 * on the index's leading column (a full index scan, or PostgreSQL 18's skip scan, which is only fast when the
 * leading column has few distinct values), is one no index serves: the rule must flag exactly those.
 */
const FOLDERS = ['dedupe-incident', 'composite', 'partial-and-expression'].map((name) =>
  path.join(REPO_ROOT, 'test', 'rules', 'unindexed-filter', name),
);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/** The first key of each index the plan uses, as the database defines it (`customer_id`, `lower(email)`). */
async function leadingKeys(client: Client, plan: PlanNode): Promise<Map<string, string>> {
  const names = new Set<string>();
  const visit = (node: PlanNode) => {
    if (node['Index Name']) names.add(node['Index Name']);
    node.Plans?.forEach(visit);
  };
  visit(plan);
  const { rows } = await client.query(
    "SELECT relname, pg_get_indexdef(oid, 1, true) AS key FROM pg_class WHERE relkind = 'i' AND relname = ANY($1)",
    [[...names]],
  );
  return new Map(rows.map((row) => [row.relname as string, canonicalText(row.key as string)]));
}

/** Target tables (bare names) the plan reads without an index condition on an index's leading key. */
function unservedTables(plan: PlanNode, leading: Map<string, string>): string[] {
  const found: string[] = [];
  const usesLeadingKey = (_relation: string, node: PlanNode): boolean => {
    const key = leading.get(node['Index Name'] ?? '');
    return Boolean(key && node['Index Cond'] && canonicalText(node['Index Cond']).includes(key));
  };
  // A bitmap scan is served when its index scans are: all branches of a BitmapOr, any input of a BitmapAnd.
  const bitmapServed = (relation: string, node: PlanNode): boolean => {
    if (node['Node Type'] === 'BitmapOr') return (node.Plans ?? []).every((child) => bitmapServed(relation, child));
    if (node['Node Type'] === 'BitmapAnd') return (node.Plans ?? []).some((child) => bitmapServed(relation, child));
    return usesLeadingKey(relation, node);
  };
  const visit = (node: PlanNode) => {
    const relation = node['Relation Name'];
    const type = node['Node Type'];
    if (relation && type === 'Seq Scan') found.push(relation);
    if (relation && /^Index (Only )?Scan$/.test(type) && !usesLeadingKey(relation, node)) found.push(relation);
    if (relation && type === 'Bitmap Heap Scan') {
      if (!bitmapServed(relation, node.Plans![0])) found.push(relation);
      return;
    }
    node.Plans?.forEach(visit);
  };
  visit(plan);
  return found;
}

async function run(client: Client, sql: string): Promise<void> {
  await client.query(sql);
}

describe('unindexed-filter against the PostgreSQL planner', function () {
  this.timeout(120_000);
  before(() => initEngine());

  for (const folder of FOLDERS) {
    it(`flags exactly the filters the planner cannot serve with an index (${path.basename(folder)})`, async () => {
      const db = await freshDatabase('planner');
      const client = await connect(db);
      const configs = new ConfigCache();
      const sources = new SchemaSources();
      const checked: string[] = [];
      try {
        await run(client, 'CREATE TABLE patients (id uuid PRIMARY KEY)');
        for (const name of fs
          .readdirSync(folder)
          .filter((n) => /\.sql$/.test(n))
          .sort()) {
          const file = path.join(folder, name);
          const text = fs.readFileSync(file, 'utf8');
          const migration = parseMigration(file, text);
          if (!/^\d+_(bad|good)-/.test(name)) {
            for (const statement of migration.statements) await run(client, statement.text);
            continue;
          }
          const config = configs.configFor(file);
          const { catalog } = await catalogFor(file, config, sources);
          const findings = lintText(file, text, { config, catalog }).diagnostics.filter(
            (d) => d.rule === 'unindexed-filter',
          );
          await run(client, 'BEGIN');
          await run(client, 'SET LOCAL enable_seqscan = off');
          for (const statement of migration.statements) {
            const targets = filterTargets(statement.node).filter((t) => catalog.tables.has(t.table));
            if (targets.length === 0) {
              await run(client, statement.text);
              continue;
            }
            const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${statement.text}`);
            const plan = rows[0]['QUERY PLAN'][0].Plan;
            const unserved = unservedTables(plan, await leadingKeys(client, plan));
            const expected = targets.filter((t) => unserved.includes(t.table.slice(t.table.indexOf('.') + 1))).length;
            const flagged = findings.filter(
              (d) => d.span.start >= statement.fileSpan.start && d.span.start < statement.fileSpan.end,
            ).length;
            assert.strictEqual(
              flagged,
              expected,
              `${name}: ${statement.text}\nplanner: ${JSON.stringify(rows[0]['QUERY PLAN'][0].Plan)}`,
            );
            checked.push(statement.text);
          }
          await run(client, 'ROLLBACK');
        }
      } finally {
        await client.end();
      }
      assert.ok(checked.length >= 2, `only ${checked.length} statements checked`);
    });
  }
});
