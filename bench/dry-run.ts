/**
 * Dry-run benchmark (`npm run bench:dry-run`).
 *
 * 1. Overhead: the same script run by `psql -X -1 -f` (psql 15, one transaction, committed) and by `dryRun()`
 *    (one transaction, rolled back, with everything it inspects per statement) on the same PostgreSQL 18
 *    server, each time on a fresh clone of the same database. Two scripts: a realistic migration on a
 *    200,000-row table (where the statements' own work dominates) and 300 tiny statements (where the
 *    per-statement inspection dominates). Target (issue 4): dry-run / psql ≤ 1.3.
 * 2. A script through the transaction proxy (issue 13): a pg script of 500 sequential parameterised INSERTs and
 *    100 literal UPDATEs, each its own transaction (a seed script) and in one transaction (a remediation
 *    script), run directly with node against a fresh clone
 *    and dry-run with dryRunProgram against another fresh clone of the same database, side by side in this run;
 *    also directly through a byte relay (bench/byte-relay.ts), the least any proxy hop costs on this machine.
 *    Target: dry-run wall time ≤ 1.5× the direct run.
 * 3. The embedded default: a dry-run of the bundled example with an empty cache (initdb, replay of the earlier
 *    migrations) and again with the cache warm; also the time to the first statement.
 */
import { type ChildProcess, execFileSync, spawn } from 'child_process';
import { once } from 'events';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { Client } from 'pg';
import { defaultConfig, loadConfigFile } from '../server/src/config';
import { dryRun, dryRunProgram } from '../server/src/dryrun';
import { EmbeddedCluster } from '../server/src/dryrun/embedded-cluster';

const RUNS = 5;
const PSQL = '/usr/bin/psql';
const REPO_ROOT = path.resolve(__dirname, '..', '..');

const SETUP = `
CREATE TABLE plans (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, price int NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO plans (price) SELECT g % 1000 FROM generate_series(1, 200000) g;
CREATE TABLE subscriptions (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, plan_id bigint NOT NULL);
INSERT INTO subscriptions (plan_id) SELECT 1 + g % 200000 FROM generate_series(1, 100000) g;
`;

const MIGRATION = `
ALTER TABLE plans ADD COLUMN tier text;
UPDATE plans SET tier = CASE WHEN price < 100 THEN 'basic' ELSE 'pro' END;
ALTER TABLE plans ALTER COLUMN tier SET NOT NULL;
CREATE INDEX plans_tier ON plans (tier);
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_plan_fk FOREIGN KEY (plan_id) REFERENCES plans (id) NOT VALID;
ALTER TABLE subscriptions VALIDATE CONSTRAINT subscriptions_plan_fk;
DELETE FROM subscriptions WHERE plan_id > 190000;
INSERT INTO plans (price, tier) SELECT price, tier FROM plans WHERE id <= 1000;
`;

const TINY =
  Array.from({ length: 300 }, (_, i) =>
    i % 3 === 0 ? `CREATE TABLE tiny_${i} (id int);` : `INSERT INTO plans (price) VALUES (${i});`,
  ).join('\n') + '\n';

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-bench-dry-run-'));
  fs.chmodSync(work, 0o755);
  const password = crypto.randomBytes(12).toString('hex');
  const cluster = await EmbeddedCluster.start({ dataDir: path.join(work, 'data'), password, persistent: false });
  try {
    const admin = new Client(cluster.connection());
    admin.on('error', () => undefined);
    await admin.connect();
    await admin.query('CREATE DATABASE bench_template');
    const setup = new Client(cluster.connection('bench_template'));
    await setup.connect();
    await setup.query(SETUP);
    // As the embedded default's template is (shadow.ts), and as autovacuum leaves a real table: statistics, and hint
    // bits set, so that a clone's first read of the 200,000 rows does not write them all (a cost of a fresh bulk load,
    // not of what is being measured). Its own command: VACUUM cannot run in a multi-statement string.
    await setup.query('VACUUM ANALYZE');
    await setup.end();

    console.log(
      `Dry-run benchmark (Node ${process.version}, ${os.cpus().length} CPUs, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})\n`,
    );
    console.log('Overhead against psql -X -1 -f on the same server, fresh clone per run, median of', RUNS);
    for (const [name, script] of [
      ['migration on a 200,000-row table (8 statements)', MIGRATION],
      ['300 tiny statements', TINY],
    ] as const) {
      const file = path.join(work, `${name.split(' ')[0]}.sql`);
      fs.writeFileSync(file, script);
      const psqlTimes: number[] = [];
      const dryRunTimes: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const database = `bench_${run}_${crypto.randomBytes(3).toString('hex')}`;
        await admin.query(`CREATE DATABASE ${database} TEMPLATE bench_template`);
        psqlTimes.push(timePsql(cluster, database, password, file));
        await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${database} TEMPLATE bench_template`);
        const url = `postgres://postgres:${password}@127.0.0.1:${cluster.port}/${database}`;
        const started = performance.now();
        const report = await dryRun({ file, databaseUrl: url, config: defaultConfig(work), env: {}, homeDir: work });
        dryRunTimes.push(performance.now() - started);
        if (report.outcome !== 'ok')
          throw new Error(
            `the benchmark script failed: ${JSON.stringify(report.statements.find((s) => s.error)?.error)}`,
          );
        await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
      }
      const psql = median(psqlTimes);
      const dry = median(dryRunTimes);
      const statements = script.trim().split('\n').length;
      console.log(
        `  ${name.padEnd(48)} psql ${ms(psql)}   dry-run ${ms(dry)}   ratio ${(dry / psql).toFixed(2)}   (+${((dry - psql) / statements).toFixed(2)} ms per statement)`,
      );
    }
    await scriptThroughProxy(cluster, admin, work, password, false);
    await scriptThroughProxy(cluster, admin, work, password, true);
    await admin.end();
  } finally {
    await cluster.stop();
  }

  console.log('\nEmbedded default: dry-run of examples/migrations/0003_dedupe_patients.sql (2 earlier migrations)');
  const cache = path.join(work, 'cache');
  fs.mkdirSync(cache, { mode: 0o755 });
  const example = path.join(REPO_ROOT, 'examples/migrations/0003_dedupe_patients.sql');
  const config = loadConfigFile(path.join(REPO_ROOT, 'examples/.preflightrc.json'));
  for (const label of ['cold (empty cache: initdb, replay)', 'warm', 'warm', 'warm']) {
    const started = performance.now();
    let firstStatement: number | undefined;
    await dryRun({
      file: example,
      config,
      env: { PREFLIGHT_CACHE_DIR: cache },
      homeDir: work,
      onProgress: (event) => {
        if (firstStatement === undefined && event.message.startsWith('line '))
          firstStatement = performance.now() - started;
      },
    });
    console.log(
      `  ${label.padEnd(36)} first statement after ${ms(firstStatement ?? NaN)}, report after ${ms(performance.now() - started)}`,
    );
  }
  fs.rmSync(work, { recursive: true, force: true });
}

const SCRIPT_TARGET_RATIO = 1.5;

/**
 * Sequential writes through a pg Pool, parameterised and literal: a seed script's shape (each statement its own
 * transaction, so directly each one commits) and a remediation script's (one transaction on a checked-out client).
 */
function scriptOf(oneTransaction: boolean): string {
  const writes = `
    for (let i = 0; i < 500; i++) {
      await db.query('INSERT INTO plans (price, created_at) VALUES ($1, now())', [i]);
    }
    for (let i = 1; i <= 100; i++) {
      await db.query(\`UPDATE plans SET price = price + 1 WHERE id = \${i}\`);
    }`;
  const body = oneTransaction
    ? `const db = await pool.connect();
    await db.query('BEGIN');${writes}
    await db.query('COMMIT');
    db.release();`
    : `const db = pool;${writes}`;
  return `
const { Pool } = require('pg');
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
(async () => {
  ${body}
  await pool.end();
})().catch((error) => { console.error(error); process.exit(1); });
`;
}

/** The same script run directly with node and through the dry-run's transaction proxy, on fresh clones. */
async function scriptThroughProxy(
  cluster: EmbeddedCluster,
  admin: Client,
  work: string,
  password: string,
  oneTransaction: boolean,
) {
  const dir = path.join(work, 'script');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'remediate.js'), scriptOf(oneTransaction));
  // The script requires pg from Preflight's own node_modules.
  const env = { PATH: process.env.PATH, NODE_PATH: path.join(REPO_ROOT, 'node_modules') };
  const directTimes: number[] = [];
  const relayTimes: number[] = [];
  const dryRunTimes: number[] = [];
  const relay = await startByteRelay(cluster.port);
  for (let run = 0; run < RUNS; run++) {
    const database = `bench_script_${run}_${crypto.randomBytes(3).toString('hex')}`;
    const url = `postgres://postgres:${password}@127.0.0.1:${cluster.port}/${database}`;
    await admin.query(`CREATE DATABASE ${database} TEMPLATE bench_template`);
    let started = performance.now();
    execFileSync(process.execPath, ['remediate.js'], { cwd: dir, env: { ...env, DATABASE_URL: url }, stdio: 'pipe' });
    directTimes.push(performance.now() - started);
    await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${database} TEMPLATE bench_template`);
    started = performance.now();
    const relayed = url.replace(`:${cluster.port}/`, `:${relay.port}/`);
    execFileSync(process.execPath, ['remediate.js'], {
      cwd: dir,
      env: { ...env, DATABASE_URL: relayed },
      stdio: 'pipe',
    });
    relayTimes.push(performance.now() - started);
    await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${database} TEMPLATE bench_template`);
    started = performance.now();
    const report = await dryRunProgram({
      program: { script: 'remediate.js' },
      cwd: dir,
      config: defaultConfig(dir),
      databaseUrl: url,
      env,
      homeDir: work,
    });
    dryRunTimes.push(performance.now() - started);
    if (report.outcome !== 'ok' || report.statements.length < 600)
      throw new Error(
        `the benchmark script's dry-run failed: ${report.outcome}, ${report.statements.length} statements`,
      );
    await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
  }
  relay.process.kill();
  const direct = median(directTimes);
  const relayed = median(relayTimes);
  const dry = median(dryRunTimes);
  const ratio = dry / direct;
  console.log(
    `\nScript through the transaction proxy: node remediate.js (500 parameterised INSERTs, 100 literal UPDATEs through a pg Pool, ${oneTransaction ? 'in one transaction on a checked-out client' : 'each its own transaction'}), directly and dry-run, fresh clone per run, median of`,
    RUNS,
  );
  console.log(
    `  direct ${ms(direct)}   through a byte relay ${ms(relayed)} (ratio ${(relayed / direct).toFixed(2)}: any proxy's least)   dry-run ${ms(dry)}   ratio ${ratio.toFixed(2)}   (+${((dry - direct) / 600).toFixed(2)} ms per statement)   (target ≤ ${SCRIPT_TARGET_RATIO}×: ${ratio <= SCRIPT_TARGET_RATIO ? 'met' : 'missed'})`,
  );
}

/** bench/byte-relay.ts in its own process, listening on the port it prints. */
async function startByteRelay(serverPort: number): Promise<{ process: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [path.join(__dirname, 'byte-relay.js'), String(serverPort)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { process: child, port: Number(line.toString().trim()) };
}

function timePsql(cluster: EmbeddedCluster, database: string, password: string, file: string): number {
  const started = performance.now();
  execFileSync(
    PSQL,
    [
      '-X',
      '-q',
      '-1',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      '127.0.0.1',
      '-p',
      String(cluster.port),
      '-U',
      'postgres',
      '-d',
      database,
      '-f',
      file,
    ],
    {
      env: { ...process.env, PGPASSWORD: password },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function ms(value: number): string {
  return `${value.toFixed(0).padStart(5)} ms`;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
