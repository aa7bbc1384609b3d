import * as assert from 'assert';
import { spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultConfig } from '../server/src/config';
import { DryRunError, dryRun } from '../server/src/dryrun';
import { EmbeddedCluster } from '../server/src/dryrun/embedded-cluster';
import { runPreflight } from './support/cli';
import { databaseSnapshot } from './support/db-snapshot';
import { dryRunOn, setUp } from './support/dry-run';
import { CLI } from './support/paths';
import { connect, connectionUrl, freshDatabase } from './support/postgres';

/**
 * Dry-run faults that the other suites cannot stage on the shared test server: the server itself going
 * away mid-run, and servers that cannot be reached at all. (Another session terminating the dry-run,
 * statement_timeout, lock_timeout under a conflicting lock and cancellation are in dry-run.test.ts; SIGKILL
 * of the CLI in dry-run-cli.test.ts.)
 */
function migration(sql: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-faults-'));
  const file = path.join(dir, 'migration.sql');
  fs.writeFileSync(file, sql);
  return file;
}

describe('dry-run faults', function () {
  this.timeout(180_000);

  it('reports a server stopped mid-run as a lost connection, and after a restart the database is as before but for sequence positions', async () => {
    // A server of its own, persistent, so that it can be stopped in the middle of the dry-run and started again.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-faults-pg-'));
    fs.chmodSync(dataDir, 0o755);
    const options = { dataDir, password: crypto.randomBytes(12).toString('hex'), persistent: true };
    let cluster: EmbeddedCluster | undefined = await EmbeddedCluster.start(options);
    try {
      const db = cluster.connection('postgres');
      await setUp(
        db,
        'CREATE TABLE orders (id serial PRIMARY KEY, total int); INSERT INTO orders (total) VALUES (10);',
      );
      const before = await databaseSnapshot(db);
      const running = cluster;
      let stopped: Promise<void> | undefined;
      const report = await dryRun({
        file: migration(
          'INSERT INTO orders (total) SELECT g FROM generate_series(1, 100) g;\nUPDATE orders SET total = 0;\nSELECT pg_sleep(30);\nDELETE FROM orders;\n',
        ),
        config: defaultConfig(dataDir),
        databaseUrl: connectionUrl(db),
        env: {},
        homeDir: dataDir,
        onProgress: (event) => {
          if (event.message.includes('pg_sleep')) setTimeout(() => (stopped = running.stop()), 300);
        },
      });
      cluster = undefined;
      await stopped;
      assert.strictEqual(report.committed, false);
      assert.strictEqual(report.outcome, 'failed');
      assert.strictEqual(report.interrupted?.reason, 'connection-lost');
      assert.match(report.interrupted!.message, /connection to the server was lost.*nothing was committed/);
      assert.deepStrictEqual(
        report.statements.map((s) => s.status),
        ['ok', 'ok', 'error', 'not-run'],
      );
      assert.ok(!report.interrupted!.message.includes(options.password));

      cluster = await EmbeddedCluster.start(options);
      const after = cluster.connection('postgres');
      assert.strictEqual(await databaseSnapshot(after), before, 'the restarted database differs');
      const client = await connect(after);
      try {
        // Sequences are not transactional: the only trace the dry-run may leave (the snapshot leaves positions out).
        const { rows } = await client.query(
          "SELECT last_value::int AS value FROM pg_sequences WHERE sequencename = 'orders_id_seq'",
        );
        assert.ok(rows[0].value >= 1);
        const { rows: orders } = await client.query('SELECT id, total FROM orders');
        assert.deepStrictEqual(orders, [{ id: 1, total: 10 }]);
      } finally {
        await client.end();
      }
    } finally {
      await cluster?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('says in one line, without the password, that an unreachable server could not be reached', async () => {
    const file = migration('SELECT 1;\n');
    const cases = [
      [
        'nothing listens on the port',
        'postgres://app:hunter2-secret@127.0.0.1:1/app',
        /could not connect to app@127\.0\.0\.1:1\/app/,
      ],
      [
        'the host name does not resolve',
        'postgres://app:hunter2-secret@db.invalid/app',
        /could not connect to app@db\.invalid:5432\/app.*ENOTFOUND/,
      ],
    ] as const;
    for (const [what, databaseUrl, message] of cases) {
      await assert.rejects(
        dryRun({
          file,
          config: defaultConfig(path.dirname(file)),
          databaseUrl,
          allowRemote: true,
          env: {},
          homeDir: path.dirname(file),
        }),
        (error: Error) => {
          assert.ok(error instanceof DryRunError, `${what}: ${error.stack}`);
          assert.match(error.message, message, what);
          assert.ok(
            !error.message.includes('\n') && !error.message.includes('hunter2-secret'),
            `${what}: ${error.message}`,
          );
          return true;
        },
      );
    }
  });
});

/**
 * The dry-run's limits hold whatever the script does: it may lower them but never lift them, a watchdog on a
 * second connection enforces them from outside (and the whole run's --timeout), and a killed CLI never leaves
 * its locks behind for longer than the server takes to notice.
 */
describe('dry-run faults: limits the script cannot lift', function () {
  this.timeout(120_000);

  /** Holds `mode` on `table` from another session until released. */
  async function holdLock(
    db: Parameters<typeof connect>[0],
    table: string,
    mode: string,
  ): Promise<{ release(): Promise<void> }> {
    const holder = await connect(db);
    await holder.query('BEGIN');
    await holder.query(`LOCK TABLE ${table} IN ${mode} MODE`);
    return {
      release: async () => {
        await holder.query('ROLLBACK').catch(() => undefined);
        await holder.end();
      },
    };
  }

  it('sets every limit the script lifted back before the next statement, however the script lifted it', async () => {
    const db = await freshDatabase('limits');
    await setUp(db, 'CREATE TABLE t (id int)');
    const lifts = [
      "SELECT set_config('statement_timeout', '0', true);",
      "SELECT set_config('lock_timeout', '0', false);",
      "SELECT pg_catalog.set_config('idle_in_transaction_session_timeout', '0', true);",
      `SELECT "set_config"('client_connection_check_interval', '0', true);`,
      'SET LOCAL statement_timeout = 0;',
      "SET SESSION lock_timeout = '1h';",
      'SET client_connection_check_interval = 0;',
      'SET idle_in_transaction_session_timeout TO DEFAULT;',
      'RESET ALL;',
      'RESET statement_timeout;',
      "WITH lifted AS (SELECT set_config('statement_timeout', '0', true) AS v) SELECT v FROM lifted;",
      "SELECT 1 WHERE set_config('lock_timeout', '0', true) IS NOT NULL;",
      "DO $$ BEGIN PERFORM set_config('statement_timeout', '0', true); END $$;",
      "DO $$ BEGIN EXECUTE 'SET lock_timeout = 0'; END $$;",
      "PREPARE lift AS SELECT set_config('statement_timeout', '0', true);\nEXECUTE lift;",
      "CREATE FUNCTION lift() RETURNS text LANGUAGE sql AS $$ SELECT set_config('statement_timeout', '0', false) $$;\nSELECT lift();",
      "CREATE FUNCTION lift_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM set_config('lock_timeout', '0', false); RETURN NEW; END $$;\n" +
        'CREATE TRIGGER lift BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION lift_on_insert();\nINSERT INTO t VALUES (1);',
      'SAVEPOINT s;\nSET statement_timeout = 0;\nRELEASE SAVEPOINT s;',
      // These change only the defaults of later sessions, and ROLLBACK withdraws them: the session keeps its limits.
      'ALTER ROLE CURRENT_USER SET statement_timeout = 0;',
      `ALTER DATABASE ${db.database} SET lock_timeout = 0;`,
      `ALTER ROLE CURRENT_USER IN DATABASE ${db.database} SET statement_timeout = 0;`,
    ];
    const check =
      "DO $$ BEGIN RAISE NOTICE 'limits: %', (SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings WHERE name IN " +
      "('lock_timeout', 'statement_timeout', 'idle_in_transaction_session_timeout', 'client_connection_check_interval')); END $$;";
    const report = await dryRunOn(db, lifts.map((lift) => `${lift}\n${check}\n`).join(''), {
      lockTimeout: '1500ms',
      statementTimeout: '4s',
    });
    assert.strictEqual(report.outcome, 'ok', JSON.stringify(report.statements.find((s) => s.error)?.error));
    const seen = report.statements
      .flatMap((s) => s.notices.map((n) => n.message))
      .filter((m) => m.startsWith('limits: '));
    const expected =
      'limits: client_connection_check_interval=1000 idle_in_transaction_session_timeout=60000 lock_timeout=1500 statement_timeout=4000';
    assert.deepStrictEqual(
      seen.map((limits, i) => `${lifts[i]} → ${limits}`),
      lifts.map((lift) => `${lift} → ${expected}`),
    );
    assert.match(report.statements[0].note ?? '', /the dry-run kept its own limit: statement_timeout at 4000 ms/);
  });

  it('stops a 10 s sleep at --statement-timeout 3s although the script lifted statement_timeout, before or in the same statement', async () => {
    const db = await freshDatabase('limits');
    const scripts = [
      "SELECT set_config('statement_timeout', '0', true);\nSELECT pg_sleep(10);\n",
      "SELECT set_config('statement_timeout', '0', true), pg_sleep(10);\n",
      "DO $$ BEGIN PERFORM set_config('statement_timeout', '0', true); PERFORM pg_sleep(10); END $$;\n",
    ];
    for (const sql of scripts) {
      const run = runPreflight([
        'dry-run',
        migration(sql),
        '--database-url',
        connectionUrl(db),
        '--statement-timeout',
        '3s',
        '--format',
        'json',
      ]);
      assert.strictEqual(run.status, 1, `${sql}${run.stdout}${run.stderr}`);
      const failed = JSON.parse(run.stdout).statements.find((s: { status: string }) => s.status === 'error');
      assert.strictEqual(failed?.error.code, '57014', sql);
      assert.strictEqual(failed?.error.timeout, 'statement_timeout', sql);
      // The statement's own time, not the CLI's start-up on a busy machine.
      assert.ok(failed.durationMs < 5000, `${sql}: the sleep ran ${failed.durationMs} ms`);
    }
  });

  it('cancels from a second connection a statement that started with statement_timeout lifted (by a function the planner ran while the dry-run explained it)', async () => {
    const db = await freshDatabase('limits');
    await setUp(db, 'CREATE TABLE t (id int); INSERT INTO t VALUES (1);');
    // The planner evaluates an IMMUTABLE function of constants while planning, so EXPLAIN runs it before the
    // statement starts, and the statement's own timer is never armed.
    const sql =
      "CREATE FUNCTION lift() RETURNS int IMMUTABLE LANGUAGE plpgsql AS $$ BEGIN PERFORM set_config('statement_timeout', '0', true); RETURN 1; END $$;\n" +
      'UPDATE t SET id = lift() WHERE pg_sleep(10) IS NOT NULL;\n';
    const report = await dryRunOn(db, sql, { statementTimeout: '2s' });
    const failed = report.statements.find((s) => s.status === 'error');
    assert.strictEqual(failed?.error?.timeout, 'statement_timeout', JSON.stringify(failed?.error));
    assert.match(failed.error.message, /watchdog cancelled it from a second connection/);
    assert.ok(failed.durationMs! < 5000, `the statement ran ${failed.durationMs} ms`);
  });

  it('gives up waiting for a lock at --lock-timeout although the script lifted lock_timeout, before or in the same statement', async () => {
    const db = await freshDatabase('limits');
    await setUp(db, 'CREATE TABLE busy (id int)');
    const holder = await holdLock(db, 'busy', 'ACCESS SHARE');
    try {
      const scripts = [
        "SELECT set_config('lock_timeout', '0', true);\nLOCK TABLE busy IN ACCESS EXCLUSIVE MODE;\n",
        "DO $$ BEGIN PERFORM set_config('lock_timeout', '0', true); LOCK TABLE busy IN ACCESS EXCLUSIVE MODE; END $$;\n",
      ];
      for (const sql of scripts) {
        const report = await dryRunOn(db, sql, { lockTimeout: '1s', statementTimeout: '20s' });
        const failed = report.statements.find((s) => s.status === 'error');
        assert.strictEqual(failed?.error?.timeout, 'lock_timeout', `${sql}${JSON.stringify(failed?.error)}`);
        assert.ok(failed.durationMs! < 4000, `${sql}: waited ${failed.durationMs} ms for the lock`);
      }
    } finally {
      await holder.release();
    }
  });

  it('stops the whole run at --timeout, cancelling the running statement from a second connection', async () => {
    const db = await freshDatabase('limits');
    const sql = Array.from({ length: 8 }, () => 'SELECT pg_sleep(1);\n').join('');
    const run = runPreflight([
      'dry-run',
      migration(sql),
      '--database-url',
      connectionUrl(db),
      '--timeout',
      '2500ms',
      '--format',
      'json',
    ]);
    assert.strictEqual(run.status, 1, run.stdout + run.stderr);
    const report = JSON.parse(run.stdout);
    assert.strictEqual(report.outcome, 'failed');
    const failed = report.statements.find((s: { status: string }) => s.status === 'error');
    assert.strictEqual(failed?.error.timeout, 'dry-run-timeout', JSON.stringify(failed));
    assert.match(failed.error.message, /time limit \(2500ms\) passed/);
    assert.match(report.interrupted?.message ?? '', /time limit \(2500ms\) passed at line \d+/);
    assert.ok(report.statements.filter((s: { status: string }) => s.status === 'ok').length <= 3);
    assert.ok(report.durationMs < 5000, `the run took ${report.durationMs} ms`);
  });

  it('releases an ACCESS EXCLUSIVE lock within seconds of a SIGKILL of the CLI, although the script set client_connection_check_interval = 0', async () => {
    const db = await freshDatabase('limits');
    await setUp(db, 'CREATE TABLE held (id int)');
    const file = migration(
      'LOCK TABLE held IN ACCESS EXCLUSIVE MODE;\nSET client_connection_check_interval = 0;\nSELECT pg_sleep(30);\n',
    );
    const child = spawn(process.execPath, [CLI, 'dry-run', file, '--database-url', connectionUrl(db)], {
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('close', resolve));
    const watcher = await connect(db);
    const exclusiveLocks = async () =>
      (
        await watcher.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'held'::regclass AND mode = 'AccessExclusiveLock' AND granted",
        )
      ).rows[0].n;
    try {
      for (let i = 0; ; i++) {
        const { rows } = await watcher.query(
          "SELECT 1 FROM pg_stat_activity WHERE application_name = 'preflight dry-run' AND query LIKE '%pg_sleep%' AND state = 'active'",
        );
        if (rows.length > 0) break;
        assert.ok(i < 200, 'the dry-run never reached the sleep');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.strictEqual(await exclusiveLocks(), 1, 'the dry-run holds the lock while it sleeps');
      child.kill('SIGKILL');
      await exited;
      const killed = Date.now();
      while ((await exclusiveLocks()) > 0 && Date.now() - killed < 10_000)
        await new Promise((resolve) => setTimeout(resolve, 100));
      const seconds = (Date.now() - killed) / 1000;
      assert.strictEqual(await exclusiveLocks(), 0, `the lock outlived the CLI by ${seconds.toFixed(1)} s`);
      assert.ok(seconds < 5, `the lock outlived the CLI by ${seconds.toFixed(1)} s`);
    } finally {
      await watcher.end();
    }
  });
});
