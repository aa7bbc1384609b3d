import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigCache, defaultConfig } from '../server/src/config';
import { DryRunReport, dryRun, stopEmbeddedServer } from '../server/src/dryrun';
import { CLI, REPO_ROOT } from './support/paths';

/** One cache for the whole file: the first test initialises the embedded cluster, the others reuse it. */
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-cache-'));
// As root, PostgreSQL runs as the postgres user, which must be able to enter the cache.
fs.chmodSync(cacheDir, 0o755);
const env = { PREFLIGHT_CACHE_DIR: cacheDir };

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-project-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function embeddedDryRun(file: string, progress: string[] = []): Promise<DryRunReport> {
  return dryRun({
    file,
    config: new ConfigCache().configFor(file),
    env,
    homeDir: cacheDir,
    onProgress: (event) => progress.push(event.message),
  });
}

describe('dry-run on the embedded PostgreSQL', function () {
  this.timeout(120_000);

  after(async () => {
    await stopEmbeddedServer();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it('replays the earlier migrations of the directory, reports what it could not replay, and reuses the replay next time', async () => {
    const dir = project({
      'migrations/0001_plans.sql':
        'CREATE TABLE plans (id serial PRIMARY KEY, price int);\nINSERT INTO plans (price) VALUES (10), (20);\nGRANT SELECT ON plans TO reporting_reader;\n',
      'migrations/0002_tiers.js':
        "exports.up = (knex) => knex.schema.createTable('tiers', (t) => t.increments(process.env.ID));\nexports.down = () => {};\n",
      'migrations/0003_price_index.sql': 'CREATE INDEX CONCURRENTLY plans_price ON plans (price);\n',
      'migrations/0004_backfill.sql': 'UPDATE plans SET price = price * 2;\n',
      'migrations/0004_backfill.down.sql': 'DROP TABLE plans;\n',
      'migrations/seed.sql': 'DROP TABLE plans;\n',
      'migrations/0005_later.sql': 'DROP TABLE plans;\n',
    });
    const file = path.join(dir, 'migrations/0004_backfill.sql');
    const progress: string[] = [];
    const report = await embeddedDryRun(file, progress);
    assert.strictEqual(report.database.kind, 'embedded');
    // Paths are relative to the project's config directory (here: no config, so the migration's directory).
    assert.deepStrictEqual(report.database.replayed, ['0001_plans.sql', '0003_price_index.sql']);
    assert.deepStrictEqual(
      report.database.notReplayed.map((entry) => entry.file),
      ['0002_tiers.js'],
    );
    assert.match(report.database.notReplayed[0].reason, /createTable public\.tiers is an ORM call without SQL/);
    assert.ok(
      report.database.notes.some((note) => note.includes('reporting_reader')),
      report.database.notes.join('\n'),
    );
    assert.strictEqual(report.outcome, 'ok');
    assert.strictEqual(report.statements[0].rowCount, 2);
    assert.ok(progress.some((message) => message.startsWith('replaying')));

    const again: string[] = [];
    const second = await embeddedDryRun(file, again);
    assert.deepStrictEqual(second.database.replayed, report.database.replayed);
    assert.deepStrictEqual(second.database.notReplayed, report.database.notReplayed);
    assert.ok(!again.some((message) => message.startsWith('replaying')), `replayed again: ${again.join(', ')}`);

    // A new earlier migration is replayed on top of the state already built.
    fs.writeFileSync(path.join(dir, 'migrations/0003b_more.sql'), 'INSERT INTO plans (price) VALUES (30);\n');
    const third: string[] = [];
    const withNew = await embeddedDryRun(file, third);
    assert.deepStrictEqual(
      third.filter((message) => message.startsWith('replaying')),
      ['replaying 0003b_more.sql (1/1)'],
    );
    assert.strictEqual(withNew.statements[0].rowCount, 3);
  });

  it('runs statements whose effects cannot be decided statically (replayed and dry-run), and still refuses calls that escape', async () => {
    // The embedded server's dry-run role cannot reach outside its database, so a query built at run time may run.
    const dir = project({
      'migrations/0001_t.sql': "DO $$ BEGIN EXECUTE 'CREATE TABLE ' || 't' || ' (id int)'; END $$;\n",
      'migrations/0002_fill.sql':
        "DO $$ DECLARE tbl text := 't'; BEGIN EXECUTE 'INSERT INTO ' || tbl || ' VALUES (1)'; END $$;\nINSERT INTO t SELECT * FROM t;\nSELECT pg_catalog.\"pg_reload_conf\"();\n",
    });
    const report = await embeddedDryRun(path.join(dir, 'migrations/0002_fill.sql'));
    assert.deepStrictEqual(report.database.replayed, ['0001_t.sql']);
    assert.deepStrictEqual(
      report.statements.map((s) => [s.status, s.rowCount]),
      [
        ['ok', null],
        ['ok', 1],
        ['skipped', null],
      ],
    );
    assert.match(report.statements[2].reason ?? '', /^refused: pg_reload_conf\(\) reloads the server configuration/);
  });

  it('takes over a cache slot whose lock belongs to a process that is gone', async () => {
    const slot = path.join(cacheDir, 'embedded-v2-0');
    fs.mkdirSync(slot, { recursive: true });
    fs.writeFileSync(path.join(slot, 'lock'), '999999999');
    const dir = project({ '0001_first.sql': 'SELECT 1;\n' });
    const report = await dryRun({
      file: path.join(dir, '0001_first.sql'),
      config: defaultConfig(dir),
      env,
      homeDir: cacheDir,
    });
    assert.strictEqual(report.outcome, 'ok');
    assert.ok(!fs.existsSync(path.join(slot, 'lock')), 'the lock is released after the run');
  });

  it('keeps the server for the next dry-run when asked, and starts a new one if it died meanwhile', async () => {
    const dir = project({ '0001_first.sql': 'SELECT 1;\n' });
    const options = {
      file: path.join(dir, '0001_first.sql'),
      config: defaultConfig(dir),
      env,
      homeDir: cacheDir,
      embeddedIdleMs: 60_000,
    };
    try {
      assert.strictEqual((await dryRun(options)).outcome, 'ok');
      const pidFiles = fs
        .readdirSync(cacheDir)
        .map((slot) => path.join(cacheDir, slot, 'data', 'postmaster.pid'))
        .filter((file) => fs.existsSync(file));
      assert.strictEqual(pidFiles.length, 1, 'the server is still running');
      process.kill(Number(fs.readFileSync(pidFiles[0], 'utf8').split('\n')[0]), 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.strictEqual((await dryRun(options)).outcome, 'ok');
    } finally {
      await stopEmbeddedServer();
    }
  });

  it('runs a setval that moves a sequence backwards on the embedded database, whose copy is thrown away', async () => {
    const dir = project({
      'migrations/0001_orders.sql':
        "CREATE TABLE orders (id serial PRIMARY KEY);\nSELECT setval('orders_id_seq', 1000);\n",
      'migrations/0002_reset.sql': "SELECT setval('orders_id_seq', 1);\n",
    });
    const report = await embeddedDryRun(path.join(dir, 'migrations/0002_reset.sql'));
    assert.strictEqual(report.database.kind, 'embedded');
    assert.deepStrictEqual(
      report.statements.map((s) => [s.status, s.reason]),
      [['ok', undefined]],
    );
  });

  it('dry-runs the bundled example on the embedded database: the dedupe migration fails with 55006', async () => {
    const file = path.join(REPO_ROOT, 'examples/migrations/0003_dedupe_patients.sql');
    const report = await embeddedDryRun(file);
    assert.deepStrictEqual(report.database.replayed, [
      'migrations/0001_create_schema.sql',
      'migrations/0002_add_encounter_source.sql',
    ]);
    const failed = report.statements.find((statement) => statement.status === 'error');
    assert.strictEqual(failed?.error?.code, '55006');
    assert.strictEqual(failed?.line, 11);
    const update = report.statements.find((statement) => statement.command === 'UPDATE');
    assert.strictEqual(update?.rowCount, 1);
  });

  it('runs the README command: npx preflight dry-run examples/migrations/... exits 1 with the report', async () => {
    const child = spawn(process.execPath, [CLI, 'dry-run', 'examples/migrations/0003_dedupe_patients.sql'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env },
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.strictEqual(code, 1, stdout);
    assert.match(stdout, /^Dry run of examples\/migrations\/0003_dedupe_patients\.sql on embedded PostgreSQL/);
    assert.match(
      stdout,
      /55006 cannot ALTER TABLE "sync_lookup" because it has pending trigger events \(at line 11, column 1\)/,
    );
  });
});
