import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultConfig } from '../server/src/config';
import { DryRunError, dryRun } from '../server/src/dryrun';
import { EmbeddedCluster } from '../server/src/dryrun/embedded-cluster';
import { databaseSnapshot } from './support/db-snapshot';
import { setUp } from './support/dry-run';
import { connect, connectionUrl } from './support/postgres';

/**
 * Dry-run faults that the other suites cannot stage on the shared test server: the server itself going
 * away mid-run, and servers that cannot be reached at all. (Another session terminating the dry-run,
 * statement_timeout, lock_timeout under a conflicting lock and cancellation are in dry-run.test.ts; SIGKILL
 * of the CLI in dry-run-cli.test.ts.)
 */
describe('dry-run faults', function () {
  this.timeout(180_000);

  function migration(sql: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-faults-'));
    const file = path.join(dir, 'migration.sql');
    fs.writeFileSync(file, sql);
    return file;
  }

  it('reports a server stopped mid-run as a lost connection, and after a restart the database is as before but for sequence positions', async () => {
    // A server of its own, persistent, so that it can be stopped in the middle of the dry-run and started again.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-faults-pg-'));
    fs.chmodSync(dataDir, 0o755);
    const options = { dataDir, password: crypto.randomBytes(12).toString('hex'), persistent: true };
    let cluster: EmbeddedCluster | undefined = await EmbeddedCluster.start(options);
    try {
      const db = cluster.connection('postgres');
      await setUp(db, 'CREATE TABLE orders (id serial PRIMARY KEY, total int); INSERT INTO orders (total) VALUES (10);');
      const before = await databaseSnapshot(db);
      const running = cluster;
      let stopped: Promise<void> | undefined;
      const report = await dryRun({
        file: migration('INSERT INTO orders (total) SELECT g FROM generate_series(1, 100) g;\nUPDATE orders SET total = 0;\nSELECT pg_sleep(30);\nDELETE FROM orders;\n'),
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
      assert.deepStrictEqual(report.statements.map((s) => s.status), ['ok', 'ok', 'error', 'not-run']);
      assert.ok(!report.interrupted!.message.includes(options.password));

      cluster = await EmbeddedCluster.start(options);
      const after = cluster.connection('postgres');
      assert.strictEqual(await databaseSnapshot(after), before, 'the restarted database differs');
      const client = await connect(after);
      try {
        // Sequences are not transactional: the only trace the dry-run may leave (the snapshot leaves positions out).
        const { rows } = await client.query("SELECT last_value::int AS value FROM pg_sequences WHERE sequencename = 'orders_id_seq'");
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
      ['nothing listens on the port', 'postgres://app:hunter2-secret@127.0.0.1:1/app', /could not connect to app@127\.0\.0\.1:1\/app/],
      ['the host name does not resolve', 'postgres://app:hunter2-secret@db.invalid/app', /could not connect to app@db\.invalid:5432\/app.*ENOTFOUND/],
    ] as const;
    for (const [what, databaseUrl, message] of cases) {
      await assert.rejects(
        dryRun({ file, config: defaultConfig(path.dirname(file)), databaseUrl, allowRemote: true, env: {}, homeDir: path.dirname(file) }),
        (error: Error) => {
          assert.ok(error instanceof DryRunError, `${what}: ${error.stack}`);
          assert.match(error.message, message, what);
          assert.ok(!error.message.includes('\n') && !error.message.includes('hunter2-secret'), `${what}: ${error.message}`);
          return true;
        },
      );
    }
  });
});
