import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultConfig } from '../server/src/config';
import { DryRunReport, ProgramDryRunOptions, dryRunProgram } from '../server/src/dryrun';
import { ClusterConnection } from '../server/src/dryrun/embedded-cluster';
import { databaseSnapshot } from './support/db-snapshot';
import { REPO_ROOT } from './support/paths';
import { connectionUrl, freshDatabase } from './support/postgres';
import { setUp } from './support/dry-run';

/**
 * The transaction proxy (issue 13 parts 1 and 3): a program's every connection served inside the dry-run's one
 * transaction, always rolled back. Each run is checked against a snapshot of the database taken before (the
 * pg_dump stand-in of test/support/db-snapshot.ts: pg_dump 15 refuses the PostgreSQL 18 test server).
 */

/** Writes `files` into a temporary folder and dry-runs `program` there on `connection`, checking nothing changed. */
async function dryRunProgramOn(
  connection: ClusterConnection,
  program: ProgramDryRunOptions['program'],
  files: Record<string, string>,
  options: Partial<ProgramDryRunOptions> = {},
): Promise<DryRunReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-program-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const before = await databaseSnapshot(connection);
  const report = await dryRunProgram({
    program,
    cwd: dir,
    config: defaultConfig(dir),
    databaseUrl: connectionUrl(connection),
    // The scripts require('pg') from Preflight's own node_modules.
    env: { PATH: process.env.PATH, NODE_PATH: path.join(REPO_ROOT, 'node_modules') },
    homeDir: dir,
    ...options,
  });
  assert.strictEqual(report.committed, false);
  assert.strictEqual(await databaseSnapshot(connection), before, 'the dry-run changed the database');
  return report;
}

const ORDERS = `CREATE TABLE orders (id serial PRIMARY KEY, status text NOT NULL DEFAULT 'open', amount numeric NOT NULL);
INSERT INTO orders (status, amount) SELECT 'open', g FROM generate_series(1, 5) g;`;

function statementsOf(report: DryRunReport): { connection?: number; sql: string; status: string }[] {
  return report.statements.map((s) => ({ connection: s.connection, sql: s.sql.replace(/\s+/g, ' ').trim(), status: s.status }));
}

describe('dry-run of a program through the transaction proxy', function () {
  this.timeout(120_000);
  let database: ClusterConnection;

  before(async () => {
    database = await freshDatabase('program');
    await setUp(database, ORDERS);
  });

  it('reports an advisory lock taken on one pooled connection and unlocked on another, at both statements; the reserved-connection fix is silent', async () => {
    const pooled = `
const { Pool } = require('pg');
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
(async () => {
  const held = await pool.connect();
  const other = await pool.connect();
  await held.query('SELECT pg_advisory_lock(42)');
  await other.query("UPDATE orders SET status = 'seeded' WHERE id = 1");
  await other.query('SELECT pg_advisory_unlock(42)');
  held.release(); other.release();
  await pool.end();
})().catch((error) => { console.error(error); process.exit(1); });
`;
    const report = await dryRunProgramOn(database, { script: 'seed.js' }, { 'seed.js': pooled });
    assert.strictEqual(report.program?.exitCode, 0, report.program?.stderr);
    const lock = report.statements.find((s) => s.sql.includes('pg_advisory_lock'))!;
    const unlock = report.statements.find((s) => s.sql.includes('pg_advisory_unlock'))!;
    assert.strictEqual(lock.connection, 1);
    assert.strictEqual(unlock.connection, 2);
    assert.match(unlock.warnings?.join('\n') ?? '', /in production this unlock is a no-op/);
    assert.match(lock.warnings?.join('\n') ?? '', /unlocked on connection 2/);

    const fixed = pooled.replace("other.query('SELECT pg_advisory_unlock(42)')", "held.query('SELECT pg_advisory_unlock(42)')");
    const fixedReport = await dryRunProgramOn(database, { script: 'seed.js' }, { 'seed.js': fixed });
    assert.strictEqual(fixedReport.outcome, 'ok');
    assert.deepStrictEqual(fixedReport.statements.flatMap((s) => s.warnings ?? []), []);
    assert.strictEqual(fixedReport.program?.connections, 2);
  });
});
