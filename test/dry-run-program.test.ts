import * as assert from 'assert';
import * as net from 'net';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { DryRunReport, ProgramDryRunOptions } from '../server/src/dryrun';
import { ClusterConnection } from '../server/src/dryrun/embedded-cluster';
import { databaseSnapshot } from './support/db-snapshot';
import { REPO_ROOT } from './support/paths';
import { connect, connectionUrl, freshDatabase } from './support/postgres';
import { dryRunProgramOn, setUp } from './support/dry-run';
import { runPreflight } from './support/cli';

/**
 * The transaction proxy (issue 13 parts 1 and 3): a program's every connection served inside the dry-run's one
 * transaction, always rolled back. Each run is checked against a snapshot of the database taken before (the
 * pg_dump stand-in of test/support/db-snapshot.ts: pg_dump 15 refuses the PostgreSQL 18 test server).
 */

const ORDERS = `CREATE TABLE orders (id serial PRIMARY KEY, status text NOT NULL DEFAULT 'open', amount numeric NOT NULL);
INSERT INTO orders (status, amount) SELECT 'open', g FROM generate_series(1, 5) g;`;

/** The 1-based line of `text` holding `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

/** The real server as a script's own config would name it. */
const realServer = (database: ClusterConnection) => ({
  host: database.host,
  port: database.port,
  user: database.user,
  password: database.password,
  database: database.database,
});

function statementsOf(report: DryRunReport): { connection?: number; sql: string; status: string }[] {
  return report.statements.map((s) => ({
    connection: s.connection,
    sql: s.sql.replace(/\s+/g, ' ').trim(),
    status: s.status,
  }));
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

    const fixed = pooled.replace(
      "other.query('SELECT pg_advisory_unlock(42)')",
      "held.query('SELECT pg_advisory_unlock(42)')",
    );
    const fixedReport = await dryRunProgramOn(database, { script: 'seed.js' }, { 'seed.js': fixed });
    assert.strictEqual(fixedReport.outcome, 'ok');
    assert.deepStrictEqual(
      fixedReport.statements.flatMap((s) => s.warnings ?? []),
      [],
    );
    assert.strictEqual(fixedReport.program?.connections, 2);
  });

  it('gives the same statements for psql -c and psql -f run with --exec, with BEGIN and COMMIT as savepoints', async () => {
    const script = "BEGIN;\nUPDATE orders SET status = 'closed' WHERE id <= 2;\nCOMMIT;\n";
    const byCommand = await dryRunProgramOn(
      database,
      { exec: `psql -X -v ON_ERROR_STOP=1 -c "BEGIN; UPDATE orders SET status = 'closed' WHERE id <= 2; COMMIT;"` },
      {},
    );
    const byFile = await dryRunProgramOn(
      database,
      { exec: 'psql -X -v ON_ERROR_STOP=1 -f fix.sql' },
      { 'fix.sql': script },
    );
    for (const report of [byCommand, byFile]) {
      assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
      assert.deepStrictEqual(
        statementsOf(report).map((s) => [s.connection, s.status]),
        [
          [1, 'ok'],
          [1, 'ok'],
          [1, 'ok'],
        ],
      );
      assert.strictEqual(report.statements[1].rowCount, 2);
      assert.match(report.statements[0].note ?? '', /savepoint/);
    }
    assert.deepStrictEqual(
      statementsOf(byCommand).map((s) => s.sql),
      statementsOf(byFile).map((s) => s.sql),
    );
  });

  it("rolls back a connection's own transaction (extended protocol and a multi-statement query) without ending the dry-run's", async () => {
    const script = `
const { Client } = require('pg');
(async () => {
  const client = new Client(process.env.DATABASE_URL);
  await client.connect();
  await client.query('BEGIN');
  await client.query('UPDATE orders SET amount = amount * $1 WHERE id = $2', [100, 1]);
  await client.query('ROLLBACK');
  await client.query("BEGIN; UPDATE orders SET amount = 0 WHERE id = 2; ROLLBACK; UPDATE orders SET status = 'seen' WHERE id = 3");
  const { rows } = await client.query('SELECT id, amount::int, status FROM orders WHERE id <= 3 ORDER BY id');
  console.log(JSON.stringify(rows));
  await client.end();
})().catch((error) => { console.error(error); process.exit(1); });
`;
    const report = await dryRunProgramOn(database, { script: 'tx.js' }, { 'tx.js': script });
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    assert.deepStrictEqual(JSON.parse(report.program!.stdout), [
      { id: 1, amount: 1, status: 'open' },
      { id: 2, amount: 2, status: 'open' },
      { id: 3, amount: 3, status: 'seen' },
    ]);
    const update = report.statements.find((s) => s.sql.includes('amount * $1'))!;
    assert.strictEqual(update.rowCount, 1);
  });

  it("reports a failing statement where it failed and aborts only its connection's transaction: 25P02 until ROLLBACK, COMMIT of it rolls back, other connections go on", async () => {
    const script = `
const { Client } = require('pg');
(async () => {
  const a = new Client(process.env.DATABASE_URL); await a.connect();
  const b = new Client(process.env.DATABASE_URL); await b.connect();
  await a.query('BEGIN');
  await a.query("UPDATE orders SET status = 'a' WHERE id = 1");
  await a.query('INSERT INTO orders (amount) VALUES ($1)', [null]).catch((e) => console.log('insert', e.code));
  await a.query('SELECT 1').catch((e) => console.log('after', e.code));
  await b.query("UPDATE orders SET status = 'b' WHERE id = 2");
  const commit = await a.query('COMMIT');
  console.log('commit', commit.command);
  const { rows } = await b.query('SELECT id, status FROM orders WHERE id <= 2 ORDER BY id');
  console.log(JSON.stringify(rows));
  await a.end(); await b.end();
})().catch((error) => { console.error(error); process.exit(1); });
`;
    const report = await dryRunProgramOn(database, { script: 'abort.js' }, { 'abort.js': script });
    assert.strictEqual(report.program?.exitCode, 0, report.program?.stderr);
    assert.deepStrictEqual(report.program!.stdout.trim().split('\n'), [
      'insert 23502',
      'after 25P02',
      'commit ROLLBACK',
      JSON.stringify([
        { id: 1, status: 'open' },
        { id: 2, status: 'b' },
      ]),
    ]);
    const insert = report.statements.find((s) => s.sql.startsWith('INSERT'))!;
    assert.strictEqual(insert.status, 'error');
    assert.strictEqual(insert.error?.code, '23502');
    assert.strictEqual(insert.connection, 1);
    assert.strictEqual(report.outcome, 'failed');
  });

  it('reports a statement the server cannot parse where the driver describes it before running (postgres-js prepares every query), and goes on as production does: the next statement runs', async () => {
    const script = `
const postgres = require('postgres');
const sql = postgres(process.env.DATABASE_URL);
(async () => {
  await sql\`SELECT id FROM missing_orders\`.catch((e) => console.log('select', e.code));
  await sql\`UPDATE orders SET status = 'after' WHERE id = \${1}\`;
  await sql.begin(async (tx) => {
    await tx\`SELECT id FROM missing_orders\`.catch((e) => console.log('in transaction', e.code));
    await tx\`SELECT 1\`.catch((e) => console.log('then', e.code));
  }).catch((e) => console.log('begin', e.code));
  await sql.end();
})().catch((error) => { console.error(error); process.exit(1); });
`;
    const report = await dryRunProgramOn(database, { script: 'describe.js' }, { 'describe.js': script });
    assert.strictEqual(report.program?.exitCode, 0, report.program?.stderr);
    // What the same script prints run directly against PostgreSQL. Before: the failed Describe left the dry-run's
    // transaction aborted, and the UPDATE failed with 25P02.
    assert.deepStrictEqual(report.program!.stdout.trim().split('\n'), [
      'select 42P01',
      'in transaction 42P01',
      'then 25P02',
      'begin 42P01',
    ]);
    const failed = report.statements.filter((s) => s.status === 'error' && s.sql.includes('missing_orders'));
    assert.deepStrictEqual(
      failed.map((s) => s.error?.code),
      ['42P01', '42P01'],
    );
    assert.strictEqual(report.statements.find((s) => s.sql.startsWith('UPDATE'))?.status, 'ok');
  });

  it('runs a TypeScript remediation loop without a build step, with a result per statement', async () => {
    const script = `
import { Client } from 'pg';
const client = new Client(process.env.DATABASE_URL);
async function main(): Promise<void> {
  await client.connect();
  const { rows } = await client.query<{ id: number }>('SELECT id FROM orders ORDER BY id');
  for (const row of rows) {
    await client.query('UPDATE orders SET amount = amount - 1 WHERE id = $1', [row.id]);
  }
  await client.end();
}
main().catch((error: Error) => { console.error(error); process.exit(1); });
`;
    const report = await dryRunProgramOn(database, { script: 'fix-over-cap.ts' }, { 'fix-over-cap.ts': script });
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    const updates = report.statements.filter((s) => s.command === 'UPDATE');
    assert.strictEqual(updates.length, 5);
    assert.ok(updates.every((s) => s.rowCount === 1 && s.connection === 1 && typeof s.durationMs === 'number'));
    assert.match(report.program!.outsideEffects, /effects outside PostgreSQL are not undone/);
  });

  it('gives the program only the proxy: PG* variables and DATABASE_URL point at 127.0.0.1, never at the real database or its password', async () => {
    const script = `console.log(JSON.stringify({ url: process.env.DATABASE_URL, host: process.env.PGHOST, port: process.env.PGPORT, options: process.env.PGOPTIONS ?? null }));`;
    const report = await dryRunProgramOn(
      database,
      { script: 'env.js' },
      { 'env.js': script },
      {
        env: { PATH: process.env.PATH, PGOPTIONS: '-c search_path=production', OTHER_DB: connectionUrl(database) },
      },
    );
    const seen = JSON.parse(report.program!.stdout);
    assert.strictEqual(seen.host, '127.0.0.1');
    assert.notStrictEqual(Number(seen.port), database.port);
    assert.strictEqual(seen.options, null);
    assert.ok(
      !JSON.stringify(report).includes(database.password),
      'the real password reached the program or the report',
    );
    assert.match(seen.url, /^postgres:\/\/preflight_[0-9a-f]+:[^@]+@127\.0\.0\.1:\d+\/preflight_dry_run/);
    assert.strictEqual(report.program!.connections, 0);
    assert.strictEqual(report.outcome, 'failed');
  });

  describe('faults: a clear report, rolled back, the proxy and the program gone', () => {
    /** Writes the program's pid and the proxy's port, to check afterwards that both are gone. */
    const witness = `require('fs').writeFileSync('witness.json', JSON.stringify({ pid: process.pid, port: Number(process.env.PGPORT) }));\n`;

    async function assertGone(dir: string): Promise<void> {
      const { pid, port } = JSON.parse(fs.readFileSync(path.join(dir, 'witness.json'), 'utf8'));
      assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the program is still running');
      await new Promise<void>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1');
        socket.on('connect', () => reject(new Error('the proxy still listens')));
        socket.on('error', () => resolve());
      });
    }

    async function faultRun(
      name: string,
      body: string,
      options: Partial<ProgramDryRunOptions> = {},
    ): Promise<{ report: DryRunReport; dir: string }> {
      const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-fault-'));
      fs.writeFileSync(path.join(cwd, name), witness + body);
      const report = await dryRunProgramOn(database, { script: path.join(cwd, name) }, {}, { cwd, ...options });
      return { report, dir: cwd };
    }

    const connected = `const { Client, Pool } = require('pg');\n`;

    it('a script that throws after writing: failed, its stack in stderr, the write rolled back', async () => {
      const { report, dir } = await faultRun(
        'throws.js',
        `${connected}
(async () => {
  const client = new Client(process.env.DATABASE_URL); await client.connect();
  await client.query("DELETE FROM orders WHERE id = 5");
  throw new Error('remediation gave up');
})();`,
      );
      assert.strictEqual(report.outcome, 'failed');
      assert.notStrictEqual(report.program!.exitCode, 0);
      assert.match(report.program!.stderr, /remediation gave up/);
      assert.strictEqual(report.statements[0].rowCount, 1);
      await assertGone(dir);
    });

    it('a script that exits non-zero: failed, with its exit code', async () => {
      const { report, dir } = await faultRun(
        'exits.js',
        `${connected}
(async () => { const client = new Client(process.env.DATABASE_URL); await client.connect(); await client.query('SELECT 1'); process.exit(3); })();`,
      );
      assert.strictEqual(report.outcome, 'failed');
      assert.strictEqual(report.program!.exitCode, 3);
      await assertGone(dir);
    });

    it('a script that hangs past --timeout: killed, reported as the time limit, with what ran before', async () => {
      const { report, dir } = await faultRun(
        'hangs.js',
        `${connected}
(async () => { const client = new Client(process.env.DATABASE_URL); await client.connect();
  await client.query("UPDATE orders SET status = 'x' WHERE id = 1");
  await client.query('BEGIN'); setInterval(() => undefined, 1000); })();`,
        { timeout: '3s' },
      );
      assert.strictEqual(report.outcome, 'failed');
      assert.strictEqual(report.program!.timedOut, true);
      assert.strictEqual(report.interrupted?.reason, 'timeout');
      assert.strictEqual(report.statements[0].status, 'ok');
      await assertGone(dir);
    });

    it('a script that opens 50 connections and runs Promise.all over 300 queries: every one served, in one transaction', async () => {
      const { report, dir } = await faultRun(
        'many.js',
        `${connected}
(async () => {
  const clients = await Promise.all(Array.from({ length: 50 }, async () => { const c = new Client(process.env.DATABASE_URL); await c.connect(); return c; }));
  await Promise.all(clients.map((c, i) => c.query('INSERT INTO orders (amount) VALUES ($1)', [i])));
  await Promise.all(clients.map((c) => c.end()));
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const counts = await Promise.all(Array.from({ length: 300 }, () => pool.query('SELECT count(*)::int AS n FROM orders')));
  console.log(counts[299].rows[0].n);
  await pool.end();
})().catch((error) => { console.error(error); process.exit(1); });`,
      );
      assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
      assert.strictEqual(report.program!.stdout.trim(), '55');
      assert.strictEqual(report.program!.connections, 60);
      assert.strictEqual(report.statements.length, 350);
      await assertGone(dir);
    });

    it("a script that kills its own connection: pg_terminate_backend is refused, and a socket closed mid-transaction rolls back only that connection's work", async () => {
      const { report, dir } = await faultRun(
        'kills.js',
        `${connected}
(async () => {
  const a = new Client(process.env.DATABASE_URL); await a.connect();
  const b = new Client(process.env.DATABASE_URL); await b.connect();
  a.on('error', () => undefined);
  await a.query('SELECT pg_terminate_backend(pg_backend_pid())').catch((error) => console.log('refused:', error.code));
  await b.query("UPDATE orders SET status = 'b' WHERE id = 2");
  await a.query('BEGIN');
  await a.query("UPDATE orders SET status = 'a' WHERE id = 1");
  a.connection.stream.destroy();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const { rows } = await b.query('SELECT id, status FROM orders WHERE id <= 2 ORDER BY id');
  console.log(JSON.stringify(rows));
  await b.end();
})().catch((error) => { console.error(error); process.exit(1); });`,
      );
      assert.strictEqual(report.program!.exitCode, 0, report.program?.stderr);
      const [refusedLine, rowsLine] = report.program!.stdout.trim().split('\n');
      assert.strictEqual(refusedLine, 'refused: 0A000');
      assert.deepStrictEqual(JSON.parse(rowsLine), [
        { id: 1, status: 'open' },
        { id: 2, status: 'b' },
      ]);
      const terminate = report.statements.find((s) => s.sql.includes('pg_terminate_backend'))!;
      assert.strictEqual(terminate.status, 'skipped');
      assert.match(terminate.reason ?? '', /^refused:/);
      await assertGone(dir);
    });

    it('a program that never connects: reported as such, failed', async () => {
      const { report, dir } = await faultRun('idle.js', `console.log('nothing to do');`);
      assert.strictEqual(report.program!.connections, 0);
      assert.strictEqual(report.statements.length, 0);
      assert.strictEqual(report.outcome, 'failed');
      assert.strictEqual(report.program!.stdout, 'nothing to do\n');
      await assertGone(dir);
    });
  });

  describe('preflight dry-run (CLI)', () => {
    function inFolder(files: Record<string, string>): string {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-program-cli-'));
      for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
      return dir;
    }

    it('runs --exec, exits 0, and says in every format which connection sent each statement and that effects outside PostgreSQL are not undone', async () => {
      const cwd = inFolder({});
      const args = [
        'dry-run',
        '--database-url',
        connectionUrl(database),
        '--exec',
        `psql -X -c "UPDATE orders SET status = 'x' WHERE id = 1" -c "SELECT count(*) FROM orders"`,
      ];
      const before = await databaseSnapshot(database);
      const pretty = runPreflight(args, { cwd });
      assert.strictEqual(pretty.status, 0, pretty.stderr + pretty.stdout);
      assert.match(pretty.stdout, /conn 1\s+ok/);
      assert.match(pretty.stdout, /effects outside PostgreSQL are not undone/);
      assert.match(pretty.stdout, /UPDATE 1/);
      const json = JSON.parse(runPreflight([...args, '--format', 'json'], { cwd }).stdout) as DryRunReport;
      assert.strictEqual(json.version, 1);
      assert.strictEqual(json.committed, false);
      assert.deepStrictEqual(
        json.statements.map((s) => [s.connection, s.status, s.command, s.rowCount]),
        [
          [1, 'ok', 'UPDATE', 1],
          [1, 'ok', 'SELECT', 1],
        ],
      );
      assert.strictEqual(json.program?.exitCode, 0);
      const markdown = runPreflight([...args, '--format', 'markdown'], { cwd }).stdout;
      assert.match(markdown, /Effects outside PostgreSQL are not undone/);
      assert.strictEqual(await databaseSnapshot(database), before);
    });

    it('runs a plain script named as the file, exits 1 when it fails, and 2 for --exec with a file', async () => {
      const cwd = inFolder({
        'fix.js':
          "const { Client } = require('pg');\n(async () => { const c = new Client(process.env.DATABASE_URL); await c.connect(); await c.query('INSERT INTO orders (amount) VALUES (NULL)'); })().catch((e) => { console.error(e.message); process.exit(1); });\n",
      });
      const env = { NODE_PATH: path.join(REPO_ROOT, 'node_modules') };
      const failed = runPreflight(
        ['dry-run', '--database-url', connectionUrl(database), '--format', 'json', 'fix.js'],
        { cwd, env },
      );
      assert.strictEqual(failed.status, 1, failed.stderr);
      const report = JSON.parse(failed.stdout) as DryRunReport;
      assert.strictEqual(report.statements[0].error?.code, '23502');
      assert.match(report.program!.stderr, /null value in column "amount"/);
      const usage = runPreflight(['dry-run', '--exec', 'true', 'fix.js'], { cwd });
      assert.strictEqual(usage.status, 2);
      assert.match(usage.stderr, /--exec runs a command: name no file with it/);
    });
  });
});

/**
 * Issue 13 part 4: what the report adds for code. The remediation script of incident 4 (visits over a cap
 * flipped to over_limit, their accrued payment capped), written as a TypeScript class with a helper and a client
 * named `client`, and the same remediation in Python through psycopg2 run with --exec.
 */
describe('dry-run of a program: statements at the line that sent them, and what the program changed', function () {
  this.timeout(120_000);
  let database: ClusterConnection;

  const VISITS = `CREATE TABLE visits (id serial PRIMARY KEY, account_id integer NOT NULL, minutes integer NOT NULL, payment_accrued numeric(10, 2) NOT NULL, status text NOT NULL);
INSERT INTO visits (account_id, minutes, payment_accrued, status) SELECT g % 3, 20, g * 30, 'open' FROM generate_series(1, 10) g;`;

  const REMEDIATION_TS = `import { Client } from 'pg';

interface Visit {
  id: number;
  payment_accrued: string;
}

const CAP = 100;

/** What a visit over the cap keeps. */
function cappedAmount(visit: Visit): number {
  return Math.min(Number(visit.payment_accrued), CAP);
}

class OverCapRemediation {
  constructor(private readonly client: Client) {}

  async overCap(): Promise<Visit[]> {
    const { rows } = await this.client.query<Visit>('SELECT id, payment_accrued FROM visits WHERE payment_accrued > $1 ORDER BY id', [CAP]);
    return rows;
  }

  async run(): Promise<number> {
    const visits = await this.overCap();
    for (const visit of visits) {
      await this.client.query("UPDATE visits SET payment_accrued = $1, status = 'over_limit' WHERE id = $2", [cappedAmount(visit), visit.id]);
    }
    return visits.length;
  }
}

async function main(): Promise<void> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query('BEGIN');
  const changed = await new OverCapRemediation(client).run();
  await client.query('COMMIT');
  console.log(\`\${changed} visits capped\`);
  await client.end();
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
`;

  const REMEDIATION_PY = `import os
import psycopg2

CAP = 100

connection = psycopg2.connect(os.environ["DATABASE_URL"])
cursor = connection.cursor()
cursor.execute("SELECT id, payment_accrued FROM visits WHERE payment_accrued > %s ORDER BY id", (CAP,))
for visit_id, accrued in cursor.fetchall():
    cursor.execute("UPDATE visits SET payment_accrued = %s, status = 'over_limit' WHERE id = %s", (min(accrued, CAP), visit_id))
connection.commit()
print("visits capped")
`;

  /** Over the cap: visits 4..10 accrued 120..300, capped at 100: 1,470 becomes 700. */
  const EXPECTED_CHANGES = [
    {
      table: 'public.visits',
      inserted: 0,
      updated: 7,
      deleted: 0,
      numericSums: [{ column: 'payment_accrued', delta: -770, rows: 7 }],
      samples: [4, 5, 6].map((id) => ({
        before: { id: String(id), payment_accrued: (id * 30).toFixed(2), status: 'open' },
        after: { id: String(id), payment_accrued: '100.00', status: 'over_limit' },
      })),
    },
  ];

  before(async () => {
    database = await freshDatabase('program_sources');
    await setUp(database, VISITS);
  });

  it('puts each statement of a TypeScript remediation at the line of its own code that sent it, grouped under the call, and sums what the loop changed', async () => {
    const report = await dryRunProgramOn(
      database,
      { script: 'fix-over-cap.ts' },
      { 'fix-over-cap.ts': REMEDIATION_TS },
    );
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    const script = path.resolve(path.dirname(report.file), 'fix-over-cap.ts');
    const loopLine = lineOf(REMEDIATION_TS, 'UPDATE visits');
    const updates = report.statements.filter((s) => s.command === 'UPDATE');
    assert.strictEqual(updates.length, 7);
    for (const update of updates) {
      assert.deepStrictEqual(update.source, { file: script, line: loopLine, call: 'this.client.query' });
      assert.strictEqual(update.line, loopLine);
      assert.strictEqual(update.rowCount, 1);
    }
    const select = report.statements.find((s) => s.command === 'SELECT')!;
    assert.deepStrictEqual(select.source, {
      file: script,
      line: lineOf(REMEDIATION_TS, 'SELECT id, payment_accrued'),
      call: 'this.client.query',
    });
    assert.deepStrictEqual(
      report.statements.filter((s) => /^(BEGIN|COMMIT)/.test(s.sql)).map((s) => s.source),
      [
        { file: script, line: lineOf(REMEDIATION_TS, "client.query('BEGIN')"), call: 'client.query' },
        { file: script, line: lineOf(REMEDIATION_TS, "client.query('COMMIT')"), call: 'client.query' },
      ],
    );

    assert.deepStrictEqual(report.dataChanges, EXPECTED_CHANGES);
  });

  it('gives the same per-table summary for the same remediation in Python run with --exec, and renders it in every format', async () => {
    const report = await dryRunProgramOn(
      database,
      { exec: '/usr/bin/python3 fix_over_cap.py' },
      { 'fix_over_cap.py': REMEDIATION_PY },
    );
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    assert.strictEqual(report.statements.filter((s) => s.command === 'UPDATE').length, 7);
    assert.deepStrictEqual(report.dataChanges, EXPECTED_CHANGES);

    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-program-cli-'));
    fs.writeFileSync(path.join(cwd, 'fix_over_cap.py'), REMEDIATION_PY);
    const args = ['dry-run', '--database-url', connectionUrl(database), '--exec', '/usr/bin/python3 fix_over_cap.py'];
    const pretty = runPreflight(args, { cwd });
    assert.strictEqual(pretty.status, 0, pretty.stderr + pretty.stdout);
    assert.match(pretty.stdout, /public\.visits: 7 rows updated; payment_accrued: −770 over 7 rows/);
    assert.match(pretty.stdout, /id 4: payment_accrued 120\.00 → 100\.00, status open → over_limit/);
    const markdown = runPreflight([...args, '--format', 'markdown'], { cwd }).stdout;
    assert.match(markdown, /`public\.visits` \| 0 \| 7 \| 0 \| payment_accrued: −770 over 7 rows/);
    const json = JSON.parse(runPreflight([...args, '--format', 'json'], { cwd }).stdout) as DryRunReport;
    assert.strictEqual(json.version, 1);
    assert.deepStrictEqual(json.dataChanges, report.dataChanges);
  });

  it("shows a TypeScript script's statements grouped under the line and call that sent them", async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-program-cli-'));
    fs.writeFileSync(path.join(cwd, 'fix-over-cap.ts'), REMEDIATION_TS);
    const env = { NODE_PATH: path.join(REPO_ROOT, 'node_modules') };
    const pretty = runPreflight(['dry-run', '--database-url', connectionUrl(database), 'fix-over-cap.ts'], {
      cwd,
      env,
    });
    assert.strictEqual(pretty.status, 0, pretty.stderr + pretty.stdout);
    const loopLine = lineOf(REMEDIATION_TS, 'UPDATE visits');
    const groups = pretty.stdout.split('\n').filter((line) => /^\s*▸ /.test(line));
    assert.deepStrictEqual(
      groups.map((line) => line.trim()),
      [
        `▸ fix-over-cap.ts:${lineOf(REMEDIATION_TS, "client.query('BEGIN')")} client.query`,
        `▸ fix-over-cap.ts:${lineOf(REMEDIATION_TS, 'SELECT id, payment_accrued')} this.client.query`,
        `▸ fix-over-cap.ts:${loopLine} this.client.query (7 statements)`,
        `▸ fix-over-cap.ts:${lineOf(REMEDIATION_TS, "client.query('COMMIT')")} client.query`,
      ],
    );
  });
});

describe('dry-run of a program: sources through a pool and a helper module, inserts and deletes, a SQL file', function () {
  this.timeout(120_000);
  let database: ClusterConnection;

  before(async () => {
    database = await freshDatabase('program_changes');
    await setUp(
      database,
      `CREATE TABLE visits (id serial PRIMARY KEY, account_id integer NOT NULL, payment_accrued numeric(10, 2) NOT NULL);
INSERT INTO visits (account_id, payment_accrued) SELECT g % 3, g * 30 FROM generate_series(1, 10) g;`,
    );
  });

  it('puts statements a pool runs at the line of the helper module that called it, and counts, sums and samples inserts into a table the program created and deletes', async () => {
    const helper = `const { Pool } = require('pg');
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 3 });
exports.run = (sql, values) => pool.query(sql, values);
exports.end = () => pool.end();
`;
    const seed = `const db = require('./db');
(async () => {
  await db.run('CREATE TABLE refunds (id serial PRIMARY KEY, visit_id integer NOT NULL, amount numeric NOT NULL)');
  await Promise.all([1, 2, 3].map((id) => db.run('INSERT INTO refunds (visit_id, amount) VALUES ($1, $2)', [id, id * 10])));
  await db.run('DELETE FROM visits WHERE id >= 9');
  await db.end();
})().catch((error) => { console.error(error); process.exit(1); });
`;
    const report = await dryRunProgramOn(database, { script: 'seed.js' }, { 'seed.js': seed, 'db.js': helper });
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    const helperFile = path.join(path.dirname(report.file), 'db.js');
    assert.strictEqual(report.statements.length, 5);
    for (const statement of report.statements) {
      assert.deepStrictEqual(statement.source, { file: helperFile, line: 3, call: 'pool.query' });
      assert.strictEqual(statement.line, 0, 'a line of another file is no line of the script');
    }
    // The three INSERTs run at once on three connections: which gets which id is the order they reach the proxy.
    const refunds = report.dataChanges?.[0];
    assert.deepStrictEqual(
      refunds?.samples.map((sample) => [sample.before, sample.after?.id]),
      [1, 2, 3].map((id) => [null, String(id)]),
    );
    assert.deepStrictEqual(
      refunds?.samples.map((sample) => `${sample.after?.visit_id}:${sample.after?.amount}`).sort(),
      ['1:10', '2:20', '3:30'],
    );
    assert.deepStrictEqual(report.dataChanges, [
      {
        table: 'public.refunds',
        inserted: 3,
        updated: 0,
        deleted: 0,
        numericSums: [{ column: 'amount', delta: 60, rows: 3 }],
        samples: refunds?.samples,
      },
      {
        table: 'public.visits',
        inserted: 0,
        updated: 0,
        deleted: 2,
        numericSums: [{ column: 'payment_accrued', delta: -570, rows: 2 }],
        samples: [
          { before: { id: '9', account_id: '0', payment_accrued: '270.00' }, after: null },
          { before: { id: '10', account_id: '1', payment_accrued: '300.00' }, after: null },
        ],
      },
    ]);
  });

  it("samples the rows of a table keyed by two columns of other types than text, each found by the key's own index", async () => {
    await setUp(
      database,
      `CREATE TABLE ledger (account text, day date, amount numeric NOT NULL, PRIMARY KEY (account, day));
INSERT INTO ledger VALUES ('acme', '2026-01-01', 10), ('acme', '2026-01-02', 20), ('zeta', '2026-01-01', 30);`,
    );
    const fix = `const { Client } = require('pg');
(async () => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query("UPDATE ledger SET amount = amount + 1 WHERE account = 'acme' AND day = '2026-01-02'");
  await client.query("DELETE FROM ledger WHERE account = 'zeta'");
  await client.end();
})().catch((error) => { console.error(error); process.exit(1); });
`;
    const report = await dryRunProgramOn(database, { script: 'fix.js' }, { 'fix.js': fix });
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    assert.deepStrictEqual(report.dataChanges, [
      {
        table: 'public.ledger',
        inserted: 0,
        updated: 1,
        deleted: 1,
        numericSums: [{ column: 'amount', delta: -29, rows: 2 }],
        samples: [
          {
            before: { account: 'acme', day: '2026-01-02', amount: '20' },
            after: { account: 'acme', day: '2026-01-02', amount: '21' },
          },
          { before: { account: 'zeta', day: '2026-01-01', amount: '30' }, after: null },
        ],
      },
    ]);
  });

  it('puts the statements a knex query builder sends at the line that awaited it, named as written', async () => {
    const script = `const knex = require('knex')({ client: 'pg', connection: process.env.DATABASE_URL });
(async () => {
  await knex('visits').where({ id: 1 }).update({ payment_accrued: 5 });
  await knex.transaction(async (trx) => {
    await trx('visits').insert({ account_id: 1, payment_accrued: 3 });
  });
  await knex.destroy();
})().catch((error) => { console.error(error); process.exit(1); });
`;
    const report = await dryRunProgramOn(database, { script: 'backfill.js' }, { 'backfill.js': script });
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    const placed = report.statements.filter((s) => /^(update|insert)/.test(s.sql)).map((s) => [s.line, s.source?.call]);
    assert.deepStrictEqual(placed, [
      [3, 'knex(…).where(…).update'],
      [5, 'trx(…).insert'],
    ]);
  });

  it("puts the statements of a SQL file run with --exec at the file's lines, matched to the statements Preflight extracts from it", async () => {
    const script = 'BEGIN;\n\nUPDATE visits SET payment_accrued = 0 WHERE id = 1;\nCOMMIT;\n';
    const report = await dryRunProgramOn(
      database,
      { exec: 'psql -X -v ON_ERROR_STOP=1 -f fix.sql' },
      { 'fix.sql': script },
    );
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    assert.deepStrictEqual(
      report.statements.map((s) => [path.basename(s.source?.file ?? ''), s.source?.line]),
      [
        ['fix.sql', 1],
        ['fix.sql', 3],
        ['fix.sql', 4],
      ],
    );
    assert.ok(report.statements.every((s) => s.line === 0 && s.source?.call === undefined));
  });
});

describe('dry-run of a program: session hazards between its connections', function () {
  this.timeout(120_000);
  let database: ClusterConnection;

  before(async () => {
    database = await freshDatabase('program_hazards');
    await setUp(database, ORDERS);
  });

  const pooled = (body: string) => `const { Pool } = require('pg');
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
(async () => {
  const a = await pool.connect();
  const b = await pool.connect();
${body}
  a.release(); b.release();
  await pool.end();
})().catch((error) => { console.error(error); process.exit(1); });
`;

  it('warns where a pooled connection runs under a SET made on another, and at a TRUNCATE of a table another connection writes; setting it on each connection is silent', async () => {
    const report = await dryRunProgramOn(
      database,
      { script: 'reload.js' },
      {
        'reload.js': pooled(`  await a.query('SET search_path = billing, public');
  await b.query('INSERT INTO orders (amount) VALUES (7)');
  await a.query('TRUNCATE orders');`),
      },
    );
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    const [set, insert, truncate] = report.statements;
    assert.deepStrictEqual(set.warnings, undefined);
    assert.match(
      insert.warnings?.join('\n') ?? '',
      /runs under SET search_path from client connection 1 \(statement 1\) only because the dry-run serves every connection in one session/,
    );
    assert.match(
      truncate.warnings?.join('\n') ?? '',
      /TRUNCATE public\.orders on client connection 1 while client connection 2 of the same program writes it \(statement 2\)/,
    );
    // PostgreSQL's counters of the transaction restart at a TRUNCATE: the row inserted before it is not counted.
    assert.strictEqual(report.dataChanges, undefined);

    const fixed = await dryRunProgramOn(
      database,
      { script: 'reload.js' },
      {
        'reload.js': pooled(`  await a.query('SET search_path = billing, public');
  await b.query('SET search_path = billing, public');
  await b.query('INSERT INTO orders (amount) VALUES (7)');
  await a.query('TRUNCATE orders');
  await a.query('INSERT INTO orders (amount) VALUES (8)');`),
      },
    );
    assert.strictEqual(fixed.outcome, 'ok', fixed.program?.stderr);
    // The TRUNCATE holds ACCESS EXCLUSIVE, so the table cannot be read outside the transaction: counts only.
    assert.deepStrictEqual(fixed.dataChanges, [
      { table: 'public.orders', inserted: 1, updated: 0, deleted: 0, numericSums: [], samples: [] },
    ]);
    assert.deepStrictEqual(
      fixed.statements.flatMap((s) => s.warnings ?? []).filter((w) => /SET search_path/.test(w)),
      [],
    );
  });
});

/**
 * Issue 13 part 3: "a Node script's connections reach the proxy even where its own config names another host".
 * Each script names the REAL test server itself (host, port, user, password, database, a Unix socket, SSL), not
 * DATABASE_URL: without the preload's redirect its writes would commit there, which the snapshot compare catches.
 */
describe('dry-run of a program: connections its own config names go to the proxy, or are refused', function () {
  this.timeout(120_000);
  let database: ClusterConnection;
  let socketDirectory: string;

  before(async () => {
    database = await freshDatabase('program_redirect');
    await setUp(database, ORDERS);
    const admin = await connect(database);
    try {
      const { rows } = await admin.query<{ dir: string }>(
        "SELECT split_part(current_setting('unix_socket_directories'), ',', 1) AS dir",
      );
      socketDirectory = rows[0].dir;
    } finally {
      await admin.end();
    }
  });

  it("sends pg's Pool and Client to the proxy whatever host, port, credentials, Unix socket or SSL their own config names: each INSERT in the report, the real database unchanged", async () => {
    const real = realServer(database);
    const script = `
const { Pool, Client } = require('pg');
const real = ${JSON.stringify(real)};
(async () => {
  const pool = new Pool({ ...real, max: 3, application_name: 'nightly-seed' });
  await pool.query("INSERT INTO orders (status, amount) VALUES ('pool over tcp', 1)");
  await pool.end();
  const overSocket = new Client({ ...real, host: ${JSON.stringify(socketDirectory)} });
  await overSocket.connect();
  await overSocket.query("INSERT INTO orders (status, amount) VALUES ('client over a unix socket', 2)");
  await overSocket.end();
  const withSsl = new Client({
    connectionString: 'postgres://' + real.user + ':' + encodeURIComponent(real.password) + '@' + real.host + ':' + real.port + '/' + real.database + '?sslmode=require',
  });
  await withSsl.connect();
  await withSsl.query("INSERT INTO orders (status, amount) VALUES ('connection string with ssl', 3)");
  await withSsl.end();
})().catch((error) => { console.error(error); process.exit(1); });
`;
    const report = await dryRunProgramOn(database, { script: 'seed.js' }, { 'seed.js': script });
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    assert.deepStrictEqual(
      statementsOf(report).map((s) => [s.connection, s.status, s.sql.match(/'([^']+)'/)?.[1]]),
      [
        [1, 'ok', 'pool over tcp'],
        [2, 'ok', 'client over a unix socket'],
        [3, 'ok', 'connection string with ssl'],
      ],
    );
    assert.strictEqual(report.program?.connections, 3);
    assert.deepStrictEqual(
      report.dataChanges?.map((change) => [change.table, change.inserted]),
      [['public.orders', 3]],
    );
  });

  it('sends knex with a connection object and Sequelize with a URL that name the real server to the proxy', async () => {
    const real = realServer(database);
    const script = `
const real = ${JSON.stringify(real)};
(async () => {
  const knex = require('knex')({ client: 'pg', connection: { ...real } });
  await knex('orders').insert({ status: 'knex', amount: 4 });
  await knex.destroy();
  const { Sequelize } = require('sequelize');
  const sequelize = new Sequelize(
    'postgres://' + real.user + ':' + encodeURIComponent(real.password) + '@' + real.host + ':' + real.port + '/' + real.database,
    { dialect: 'postgres', logging: false },
  );
  await sequelize.query("INSERT INTO orders (status, amount) VALUES ('sequelize', 5)");
  await sequelize.close();
})().catch((error) => { console.error(error); process.exit(1); });
`;
    const report = await dryRunProgramOn(database, { script: 'orm.js' }, { 'orm.js': script });
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    const inserts = report.statements.filter((s) => s.command === 'INSERT');
    assert.deepStrictEqual(
      inserts.map((s) => [s.status, s.rowCount]),
      [
        ['ok', 1],
        ['ok', 1],
      ],
    );
    assert.match(inserts[0].sql, /insert into "orders"/);
    assert.match(inserts[1].sql, /'sequelize'/);
  });

  it("refuses a raw connection to the real server's port, to 5432 on another host and to a PostgreSQL Unix socket, naming each, while other TCP connects; the report fails and says so, and the CLI exits 1", async () => {
    const script = `
const net = require('net');
const { Client } = require('pg');
const attempt = (...args) => new Promise((resolve) => {
  const socket = net.connect(...args);
  socket.on('connect', () => { socket.destroy(); resolve('connected'); });
  socket.on('error', (error) => resolve(error.message));
});
(async () => {
  const client = new Client(process.env.DATABASE_URL);
  await client.connect();
  await client.query('SELECT count(*) FROM orders');
  await client.end();
  const web = net.createServer((socket) => socket.end());
  await new Promise((resolve) => web.listen(0, '127.0.0.1', resolve));
  console.log(JSON.stringify({
    real: await attempt(${database.port}, '127.0.0.1'),
    elsewhere: await attempt({ port: 5432, host: 'db.internal' }),
    socket: await attempt(${JSON.stringify(`${socketDirectory}/.s.PGSQL.${database.port}`)}),
    web: await attempt(web.address().port, '127.0.0.1'),
  }));
  web.close();
})().catch((error) => { console.error(error); process.exit(1); });
`;
    const report = await dryRunProgramOn(database, { script: 'raw.js' }, { 'raw.js': script });
    const refusal = (target: string) =>
      `preflight dry-run: this program tried to connect to ${target} directly; a dry-run only reaches the database through its transaction proxy`;
    const socketPath = `${socketDirectory}/.s.PGSQL.${database.port}`;
    assert.deepStrictEqual(JSON.parse(report.program!.stdout), {
      real: refusal(`127.0.0.1:${database.port}`),
      elsewhere: refusal('db.internal:5432'),
      socket: refusal(socketPath),
      web: 'connected',
    });
    assert.strictEqual(report.program?.exitCode, 0);
    assert.strictEqual(report.outcome, 'failed');
    assert.deepStrictEqual(report.notes, [
      refusal(`127.0.0.1:${database.port}`),
      refusal('db.internal:5432'),
      refusal(socketPath),
    ]);
    // Said on stderr as it happens, also where the program swallows the error as this one does.
    assert.match(report.program!.stderr, /tried to connect to db\.internal:5432 directly/);

    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-program-cli-'));
    fs.writeFileSync(path.join(cwd, 'raw.js'), script);
    const cli = runPreflight(['dry-run', '--database-url', connectionUrl(database), 'raw.js'], {
      cwd,
      env: { NODE_PATH: path.join(REPO_ROOT, 'node_modules') },
    });
    assert.strictEqual(cli.status, 1, cli.stderr + cli.stdout);
    assert.match(cli.stdout, /this program tried to connect to db\.internal:5432 directly/);
  });
});

/**
 * Issue 13 with postgres-js (`postgres`), the driver of the demo-data reset job of INCIDENTS.md (2): its pool and its
 * own connection options reach the proxy as pg's do, and each query is reported at the line that sent it.
 */
describe('dry-run of a postgres-js program: redirected to the proxy, statements at the lines that sent them', function () {
  this.timeout(120_000);
  let database: ClusterConnection;

  before(async () => {
    database = await freshDatabase('program_postgres_js');
    await setUp(database, ORDERS);
  });

  it('reports an advisory lock taken through a postgres-js pool and unlocked through it on another connection, at both lines; the reserved-connection fix is silent', async () => {
    const seed = `const postgres = require('postgres');
const client = postgres(process.env.DATABASE_URL, { max: 10 });
(async () => {
  await client\`SELECT pg_advisory_lock(42)\`;
  // The unlock goes out while the reload still holds the lock's connection: the pool sends it on another one.
  await Promise.all([
    client\`INSERT INTO orders (status, amount) SELECT 'seeded', g FROM generate_series(1, 100) g\`,
    client\`SELECT pg_advisory_unlock(42)\`,
  ]);
  await client.end();
})().catch((error) => { console.error(error); process.exit(1); });
`;
    const report = await dryRunProgramOn(database, { script: 'seed.js' }, { 'seed.js': seed });
    assert.strictEqual(report.program?.exitCode, 0, report.program?.stderr);
    const lock = report.statements.find((s) => s.sql.includes('pg_advisory_lock'))!;
    const unlock = report.statements.find((s) => s.sql.includes('pg_advisory_unlock'))!;
    assert.notStrictEqual(lock.connection, unlock.connection);
    assert.match(unlock.warnings?.join('\n') ?? '', /in production this unlock is a no-op/);
    assert.match(lock.warnings?.join('\n') ?? '', new RegExp(`unlocked on connection ${unlock.connection}`));
    assert.deepStrictEqual(
      [lock, unlock].map((s) => [s.line, s.source?.call]),
      [
        [lineOf(seed, 'pg_advisory_lock'), 'client'],
        [lineOf(seed, 'pg_advisory_unlock'), 'client'],
      ],
    );

    const fixed = `const postgres = require('postgres');
const client = postgres(process.env.DATABASE_URL, { max: 10 });
(async () => {
  const reserved = await client.reserve();
  await reserved\`SELECT pg_advisory_lock(42)\`;
  try {
    await Promise.all([
      client\`INSERT INTO orders (status, amount) SELECT 'seeded', g FROM generate_series(1, 100) g\`,
      client\`INSERT INTO orders (status, amount) VALUES ('seeded', 0)\`,
    ]);
  } finally {
    await reserved\`SELECT pg_advisory_unlock(42)\`;
    reserved.release();
  }
  await client.end();
})().catch((error) => { console.error(error); process.exit(1); });
`;
    const fixedReport = await dryRunProgramOn(database, { script: 'seed.js' }, { 'seed.js': fixed });
    assert.strictEqual(fixedReport.outcome, 'ok', fixedReport.program?.stderr);
    assert.deepStrictEqual(
      fixedReport.statements.flatMap((s) => s.warnings ?? []),
      [],
    );
    assert.deepStrictEqual(
      fixedReport.statements.filter((s) => /pg_advisory_|INSERT/.test(s.sql)).map((s) => [s.line, s.source?.call]),
      [
        [lineOf(fixed, 'pg_advisory_lock'), 'reserved'],
        [lineOf(fixed, 'generate_series'), 'client'],
        [lineOf(fixed, "VALUES ('seeded', 0)"), 'client'],
        [lineOf(fixed, 'pg_advisory_unlock'), 'reserved'],
      ],
    );
  });

  it("sends postgres-js to the proxy whatever host, port, credentials and SSL its own options or URL name, keeping the script's other options: each INSERT in the report, the real database unchanged", async () => {
    const real = realServer(database);
    const script = `const postgres = require('postgres');
const real = ${JSON.stringify(real)};
(async () => {
  const byOptions = postgres({ ...real, ssl: 'require', max: 2, transform: postgres.camel });
  await byOptions\`INSERT INTO orders (status, amount) VALUES ('postgres-js options', 1)\`;
  const [counted] = await byOptions\`SELECT count(*)::int AS order_count FROM orders\`;
  console.log(JSON.stringify(counted));
  await byOptions.end();
  const byUrl = postgres('postgres://' + real.user + ':' + encodeURIComponent(real.password) + '@' + real.host + ':' + real.port + '/' + real.database + '?sslmode=require');
  await byUrl\`INSERT INTO orders (status, amount) VALUES ('postgres-js url', 2)\`;
  await byUrl.end();
})().catch((error) => { console.error(error); process.exit(1); });
`;
    const report = await dryRunProgramOn(database, { script: 'seed.js' }, { 'seed.js': script });
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    assert.deepStrictEqual(report.notes, undefined);
    const inserts = report.statements.filter((s) => s.command === 'INSERT');
    assert.deepStrictEqual(
      inserts.map((s) => [s.status, s.rowCount, s.sql.match(/'([^']+)'/)?.[1]]),
      [
        ['ok', 1, 'postgres-js options'],
        ['ok', 1, 'postgres-js url'],
      ],
    );
    // transform: postgres.camel kept: the column comes back as orderCount, counting the row the dry-run inserted.
    assert.deepStrictEqual(JSON.parse(report.program!.stdout), { orderCount: 6 });
    assert.deepStrictEqual(
      report.dataChanges?.map((change) => [change.table, change.inserted]),
      [['public.orders', 2]],
    );
  });

  it('sends an ES module script importing the ES module build of postgres-js to the proxy, with its statements at their lines', async () => {
    const real = realServer(database);
    // What \`import postgres from 'postgres'\` resolves to from an ES module (package.json exports.import), named by
    // its path because ES modules do not search NODE_PATH.
    const postgresJs = pathToFileURL(path.join(REPO_ROOT, 'node_modules', 'postgres', 'src', 'index.js')).href;
    const script = `import postgres from '${postgresJs}';
const sql = postgres(${JSON.stringify(real)});
await sql\`INSERT INTO orders (status, amount) VALUES ('postgres-js esm', 3)\`;
await sql.end();
`;
    const report = await dryRunProgramOn(database, { script: 'seed.mjs' }, { 'seed.mjs': script });
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    const file = path.resolve(path.dirname(report.file), 'seed.mjs');
    assert.deepStrictEqual(
      report.statements.filter((s) => s.command === 'INSERT').map((s) => [s.status, s.rowCount, s.source]),
      [['ok', 1, { file, line: lineOf(script, 'INSERT INTO'), call: 'sql' }]],
    );
  });

  it("puts a TypeScript script's postgres-js statements at their lines: sql.begin's BEGIN and COMMIT at the begin call, each tx query at its own line (a loop's reused prepared statement too), sql.unsafe at its line", async () => {
    const script = `import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL!);

async function main(): Promise<void> {
  await sql.begin(async (tx) => {
    const [order] = await tx\`INSERT INTO orders (status, amount) VALUES ('new', \${10}) RETURNING id\`;
    await tx\`UPDATE orders SET amount = amount + 1 WHERE id = \${order.id}\`;
    for (const id of [2, 3]) await tx\`UPDATE orders SET status = 'seen' WHERE id = \${id}\`;
  });
  await sql.unsafe("UPDATE orders SET status = 'closed' WHERE id = 1");
  await sql.end();
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
`;
    const report = await dryRunProgramOn(database, { script: 'orders.ts' }, { 'orders.ts': script });
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    const file = path.resolve(path.dirname(report.file), 'orders.ts');
    const own = report.statements.filter((s) => !/pg_catalog\.pg_type/.test(s.sql));
    assert.deepStrictEqual(
      own.map((s) => [s.sql.split(/\s/)[0].toUpperCase(), s.source]),
      [
        ['BEGIN', { file, line: lineOf(script, 'sql.begin'), call: 'sql.begin' }],
        ['INSERT', { file, line: lineOf(script, 'INSERT INTO'), call: 'tx' }],
        ['UPDATE', { file, line: lineOf(script, 'amount + 1'), call: 'tx' }],
        // The loop's second UPDATE reuses postgres-js's named prepared statement: Bind and Execute, no Parse.
        ['UPDATE', { file, line: lineOf(script, "'seen'"), call: 'tx' }],
        ['UPDATE', { file, line: lineOf(script, "'seen'"), call: 'tx' }],
        ['COMMIT', { file, line: lineOf(script, 'sql.begin'), call: 'sql.begin' }],
        ['UPDATE', { file, line: lineOf(script, 'sql.unsafe'), call: 'sql.unsafe' }],
      ],
    );
    assert.ok(own.every((s) => s.line === s.source?.line));

    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-program-cli-'));
    fs.writeFileSync(path.join(cwd, 'orders.ts'), script);
    const pretty = runPreflight(['dry-run', '--database-url', connectionUrl(database), 'orders.ts'], {
      cwd,
      env: { NODE_PATH: path.join(REPO_ROOT, 'node_modules') },
    });
    assert.strictEqual(pretty.status, 0, pretty.stderr + pretty.stdout);
    const groups = pretty.stdout.split('\n').filter((line) => /^\s*▸ /.test(line));
    assert.deepStrictEqual(
      groups.map((line) => line.trim()),
      [
        `▸ orders.ts:${lineOf(script, 'sql.begin')} sql.begin`,
        `▸ orders.ts:${lineOf(script, 'INSERT INTO')} tx`,
        `▸ orders.ts:${lineOf(script, 'amount + 1')} tx`,
        `▸ orders.ts:${lineOf(script, "'seen'")} tx (2 statements)`,
        `▸ orders.ts:${lineOf(script, 'sql.begin')} sql.begin`,
        `▸ orders.ts:${lineOf(script, 'sql.unsafe')} sql.unsafe`,
      ],
    );
  });
});
