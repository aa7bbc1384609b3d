import * as assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { databaseSnapshot } from './support/db-snapshot';
import { setUp } from './support/dry-run';
import { CLI } from './support/paths';
import { connect, connectionUrl, freshDatabase } from './support/postgres';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI's environment without anything that says where a database is. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of Object.keys(env)) if (/^PG|^DATABASE_URL$/.test(name)) delete env[name];
  return { ...env, ...extra };
}

function start(args: string[], env = cleanEnv()): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [CLI, ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

function cli(args: string[], env?: NodeJS.ProcessEnv): Promise<Run> {
  return start(args, env).done;
}

function migration(sql: string, name = 'migration.sql'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-cli-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, sql);
  return file;
}

/** Waits until the dry-run's backend runs a query matching `pattern`; returns its pid. */
async function waitForDryRunQuery(connection: Parameters<typeof connect>[0], pattern: RegExp): Promise<number> {
  const watcher = await connect(connection);
  try {
    for (let i = 0; i < 200; i++) {
      const { rows } = await watcher.query(
        `SELECT pid, query FROM pg_stat_activity WHERE application_name = 'preflight dry-run' AND state = 'active'`,
      );
      const found = rows.find((row) => pattern.test(row.query));
      if (found) return found.pid;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the dry-run never ran the query');
  } finally {
    await watcher.end();
  }
}

describe('preflight dry-run (CLI)', function () {
  this.timeout(60_000);

  it('exits 0 when every statement ran, 1 when one failed, 2 for usage and connection errors', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id int PRIMARY KEY)');
    const before = await databaseSnapshot(db);
    const url = connectionUrl(db);
    assert.strictEqual(
      (await cli(['dry-run', migration('INSERT INTO t VALUES (1);\n'), '--database-url', url])).code,
      0,
    );
    const failing = await cli([
      'dry-run',
      migration('INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (1);\n'),
      '--database-url',
      url,
    ]);
    assert.strictEqual(failing.code, 1);
    assert.match(failing.stdout, /23505/);
    assert.strictEqual((await cli(['dry-run', '--database-url', url])).code, 2);
    assert.strictEqual(
      (await cli(['dry-run', migration('SELECT 1;'), '--format', 'xml', '--database-url', url])).code,
      2,
    );
    const badTimeout = await cli(['dry-run', migration('SELECT 1;'), '--lock-timeout', 'soon', '--database-url', url]);
    assert.strictEqual(badTimeout.code, 2);
    assert.match(badTimeout.stderr, /^preflight dry-run: lock timeout "soon" is not a duration/);
    const unreachable = await cli([
      'dry-run',
      migration('SELECT 1;'),
      '--database-url',
      'postgres://nobody@127.0.0.1:1/none',
    ]);
    assert.strictEqual(unreachable.code, 2);
    assert.match(unreachable.stderr, /^preflight dry-run: could not connect to nobody@127\.0\.0\.1:1\/none/);
    assert.strictEqual(unreachable.stderr.trim().split('\n').length, 1, 'one line, no stack trace');
    assert.strictEqual(await databaseSnapshot(db), before);
  });

  it('prints the JSON shape of issue 4', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE plans (id serial PRIMARY KEY, price int)');
    const before = await databaseSnapshot(db);
    const file = migration('INSERT INTO plans (price) VALUES (1), (2);\nUPDATE plans SET price = 3;\n');
    const { code, stdout } = await cli(['dry-run', file, '--format', 'json', '--database-url', connectionUrl(db)]);
    assert.strictEqual(code, 0);
    const report = JSON.parse(stdout);
    assert.deepStrictEqual(
      ['version', 'file', 'database', 'committed', 'outcome', 'statements', 'sideEffects'].map((key) => key in report),
      [true, true, true, true, true, true, true],
    );
    assert.strictEqual(report.version, 1);
    assert.strictEqual(report.file, file);
    assert.strictEqual(report.committed, false);
    assert.strictEqual(report.database.kind, 'server');
    const statement = report.statements[0];
    for (const key of [
      'index',
      'line',
      'endLine',
      'sql',
      'status',
      'rowCount',
      'durationMs',
      'locks',
      'rewrites',
      'plan',
      'notices',
      'error',
    ]) {
      assert.ok(key in statement, key);
    }
    assert.deepStrictEqual(statement.locks[0], {
      relation: 'public.plans',
      kind: 'table',
      mode: 'RowExclusiveLock',
      blocks: ['CREATE INDEX', 'DDL'],
      conflictsWith: ['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
      blocksWork: 'CREATE INDEX and DDL; reads and writes continue',
    });
    assert.deepStrictEqual(
      report.sideEffects.find((effect: { kind: string }) => effect.kind === 'sequence'),
      {
        kind: 'sequence',
        object: 'public.plans_id_seq',
        detail:
          'advanced by 2 (to 2); ROLLBACK does not reset sequences, so later inserts on this database skip these values',
      },
    );
    assert.strictEqual(await databaseSnapshot(db), before);
  });

  it('never prints the password it connected with, in any format or error', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id int)');
    const before = await databaseSnapshot(db);
    const password = db.password;
    const url = connectionUrl(db);
    // The password also shows up in a server error message about the script's own SQL.
    const file = migration(`INSERT INTO t VALUES (1);\nSELECT '${password}'::int;\n`);
    const outputs: Run[] = [];
    for (const format of ['pretty', 'json', 'markdown'])
      outputs.push(await cli(['dry-run', file, '--format', format, '--database-url', url]));
    outputs.push(await cli(['dry-run', file, '--database-url', url.replace(/\/[^/]*$/, '/no_such_database')]));
    outputs.push(
      await cli(['dry-run', file], cleanEnv({ DATABASE_URL: url.replace('@127.0.0.1', '@db.example.com') })),
    );
    outputs.push(
      await cli(
        ['dry-run', file],
        cleanEnv({
          PGHOST: db.host,
          PGPORT: String(db.port),
          PGUSER: db.user,
          PGPASSWORD: password,
          PGDATABASE: db.database,
        }),
      ),
    );
    for (const [i, output] of outputs.entries()) {
      assert.ok(output.stdout.length + output.stderr.length > 0, `run ${i} printed something`);
      assert.ok(
        !output.stdout.includes(password) && !output.stderr.includes(password),
        `run ${i} printed the password:\n${output.stdout}${output.stderr}`,
      );
    }
    assert.deepStrictEqual(
      outputs.map((o) => o.code),
      [1, 1, 1, 2, 2, 1],
    );
    assert.strictEqual(await databaseSnapshot(db), before);
  });

  it('commits nothing when the CLI is killed with SIGKILL mid-run', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id int)');
    const before = await databaseSnapshot(db);
    const { child, done } = start([
      'dry-run',
      migration('INSERT INTO t VALUES (1);\nSELECT pg_sleep(30);\n'),
      '--database-url',
      connectionUrl(db),
    ]);
    const pid = await waitForDryRunQuery(db, /pg_sleep/);
    child.kill('SIGKILL');
    assert.strictEqual((await done).code, null);
    // The server notices the vanished client (client_connection_check_interval) and rolls back.
    const watcher = await connect(db);
    try {
      for (let i = 0; i < 200; i++) {
        const { rows } = await watcher.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
        if (rows.length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const { rows } = await watcher.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [pid]);
      assert.strictEqual(rows[0].n, 0, 'the backend ended within 10 s of the client dying');
    } finally {
      await watcher.end();
    }
    assert.strictEqual(await databaseSnapshot(db), before);
  });

  it('rolls back and exits 130 on Ctrl-C', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id int)');
    const before = await databaseSnapshot(db);
    const { child, done } = start([
      'dry-run',
      migration('INSERT INTO t VALUES (1);\nSELECT pg_sleep(30);\n'),
      '--database-url',
      connectionUrl(db),
    ]);
    await waitForDryRunQuery(db, /pg_sleep/);
    child.kill('SIGINT');
    const run = await done;
    assert.strictEqual(run.code, 130);
    assert.match(run.stdout, /cancelled: rolled back, nothing committed/);
    assert.strictEqual(await databaseSnapshot(db), before);
  });
});
