import * as assert from 'assert';
import { dryRunOn, lineOf, setUp } from './support/dry-run';
import { connect, freshDatabase } from './support/postgres';

const AUDITED_PLANS = `
CREATE TABLE plans (id serial PRIMARY KEY, price int NOT NULL, tier text);
INSERT INTO plans (price) SELECT g FROM generate_series(1, 500) g;
CREATE TABLE audit (plan_id int, at timestamptz DEFAULT now());
CREATE FUNCTION audit_plan() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO audit (plan_id) VALUES (NEW.id); RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER plans_audit AFTER UPDATE ON plans DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION audit_plan();
`;

describe('dry-run against a real PostgreSQL', function () {
  this.timeout(60_000);

  it('fails with 55006 at the ALTER after an UPDATE of a table with a deferred constraint trigger, with the UPDATE row count', async () => {
    const db = await freshDatabase();
    await setUp(db, AUDITED_PLANS);
    const sql = `-- backfill, then change the schema in the same transaction
UPDATE plans SET tier = 'basic' WHERE price <= 200;

ALTER TABLE plans
  ALTER COLUMN tier SET NOT NULL;
`;
    const report = await dryRunOn(db, sql);
    assert.strictEqual(report.outcome, 'failed');
    const [update, alter] = report.statements;
    assert.strictEqual(update.status, 'ok');
    assert.strictEqual(update.rowCount, 200);
    assert.strictEqual(alter.status, 'error');
    assert.strictEqual(alter.error?.code, '55006');
    assert.match(alter.error!.message, /pending trigger events/);
    assert.strictEqual(alter.error?.line, lineOf(sql, 'ALTER TABLE plans'));
    assert.strictEqual(alter.line, lineOf(sql, 'ALTER TABLE plans'));
    assert.strictEqual(alter.endLine, lineOf(sql, 'SET NOT NULL'));
  });

  it('runs the deferred triggers at a COMMIT in the script, so the ALTER after it succeeds, and commits nothing', async () => {
    const db = await freshDatabase();
    await setUp(db, AUDITED_PLANS);
    const report = await dryRunOn(
      db,
      `BEGIN;
UPDATE plans SET tier = 'basic' WHERE price <= 200;
COMMIT;
ALTER TABLE plans ALTER COLUMN tier SET DEFAULT 'basic';
END;
COMMIT AND CHAIN;
`,
    );
    assert.strictEqual(report.outcome, 'ok', JSON.stringify(report.statements.map((s) => s.error)));
    const commit = report.statements[2];
    assert.strictEqual(commit.status, 'ok');
    assert.match(commit.note ?? '', /not sent/);
    // The audit rows the trigger writes at COMMIT show up as the COMMIT's lock on the audit table.
    assert.ok(commit.locks.some((lock) => lock.relation === 'public.audit' && lock.mode === 'RowExclusiveLock'));
  });

  it('reports 23503 at the first child insert that comes before its parent', async () => {
    const db = await freshDatabase();
    await setUp(
      db,
      `CREATE TABLE orders (id int PRIMARY KEY);
       CREATE TABLE order_lines (id int PRIMARY KEY, order_id int NOT NULL REFERENCES orders (id));`,
    );
    const sql = `INSERT INTO order_lines (id, order_id) VALUES (10, 1);
INSERT INTO order_lines (id, order_id) VALUES (11, 1);
INSERT INTO orders (id) VALUES (1);
`;
    const report = await dryRunOn(db, sql);
    assert.deepStrictEqual(
      report.statements.map((s) => s.status),
      ['error', 'not-run', 'not-run'],
    );
    assert.strictEqual(report.statements[0].error?.code, '23503');
    assert.strictEqual(report.statements[0].error?.line, 1);
    assert.match(report.statements[0].error?.detail ?? '', /is not present in table "orders"/);
  });

  it('undoes a block the script rolls back, as the real run would', async () => {
    const db = await freshDatabase();
    const report = await dryRunOn(
      db,
      `BEGIN;
CREATE TABLE scratch (id int);
ROLLBACK;
CREATE TABLE scratch (id int);
`,
    );
    assert.strictEqual(report.outcome, 'ok', JSON.stringify(report.statements.map((s) => s.error)));
  });

  it('stops at a failing statement midway and marks the rest not-run', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id int PRIMARY KEY)');
    const report = await dryRunOn(
      db,
      'INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2);\n',
    );
    assert.deepStrictEqual(
      report.statements.map((s) => s.status),
      ['ok', 'error', 'not-run'],
    );
    assert.strictEqual(report.statements[1].error?.code, '23505');
    assert.strictEqual(report.statements[1].error?.line, 2);
  });

  it('maps an error position to the line and column in the file', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id int)');
    const sql = 'SELECT 1;\nSELECT id,\n       nosuchcolumn\n  FROM t;\n';
    const report = await dryRunOn(db, sql);
    const error = report.statements[1].error!;
    assert.strictEqual(error.code, '42703');
    assert.deepStrictEqual([error.line, error.column, error.endColumn], [3, 8, 20]);
  });

  it('runs a DO block as one statement and reports the PL/pgSQL context of its error', async () => {
    const db = await freshDatabase();
    const report = await dryRunOn(db, 'DO $$\nBEGIN\n  PERFORM no_such_function();\nEND\n$$;\nSELECT 1;\n');
    assert.deepStrictEqual(
      report.statements.map((s) => [s.line, s.status]),
      [
        [1, 'error'],
        [6, 'not-run'],
      ],
    );
    assert.strictEqual(report.statements[0].error?.code, '42883');
    assert.match(report.statements[0].error?.context ?? '', /PL\/pgSQL function inline_code_block line 3/);
    assert.deepStrictEqual(
      [report.statements[0].error?.line, report.statements[0].error?.column],
      [3, 3],
      'the error points at the PERFORM',
    );
  });

  it('maps an error in SQL embedded in a TS migration to the TS file', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id int)');
    const source = `import { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(\`
    UPDATE t
       SET id = missing_column + 1\`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE t');
}
`;
    const report = await dryRunOn(db, source, { fileName: '20240101_update.ts' });
    assert.strictEqual(report.statements.length, 1, 'down() is not dry-run');
    const error = report.statements[0].error!;
    assert.strictEqual(error.code, '42703');
    assert.strictEqual(error.line, 6);
    assert.strictEqual(error.column, source.split('\n')[5].indexOf('missing_column') + 1);
  });

  it('skips CREATE INDEX CONCURRENTLY with its reason and shows the lock it takes', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id int, v text)');
    const report = await dryRunOn(db, "CREATE INDEX CONCURRENTLY t_v ON t (v);\nINSERT INTO t VALUES (1, 'x');\n");
    const [index, insert] = report.statements;
    assert.strictEqual(index.status, 'skipped');
    assert.match(index.reason ?? '', /CREATE INDEX CONCURRENTLY cannot run inside a transaction block/);
    assert.deepStrictEqual(
      index.locks.map((l) => [l.relation, l.mode]),
      [['public.t', 'ShareUpdateExclusiveLock']],
    );
    assert.strictEqual(insert.status, 'ok');
    assert.strictEqual(report.outcome, 'ok');
  });

  it("reports the real 25001 for CREATE INDEX CONCURRENTLY inside the script's own BEGIN", async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id int)');
    const report = await dryRunOn(db, 'BEGIN;\nCREATE INDEX CONCURRENTLY t_id ON t (id);\nCOMMIT;\n');
    assert.strictEqual(report.statements[1].error?.code, '25001');
  });

  it("shows the non-concurrent form's error for a unique index over duplicates", async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (v int); INSERT INTO t VALUES (1), (1);');
    const report = await dryRunOn(db, 'CREATE UNIQUE INDEX CONCURRENTLY t_v ON t (v);\n');
    assert.strictEqual(report.statements[0].status, 'error');
    assert.strictEqual(report.statements[0].error?.code, '23505');
  });

  it('releases a session advisory lock the script takes and reports it', async () => {
    const db = await freshDatabase();
    const report = await dryRunOn(db, 'SELECT pg_advisory_lock(4242);\nSELECT 1;\n');
    const effect = report.sideEffects.find((e) => e.kind === 'advisory-lock');
    assert.strictEqual(effect?.object, 'advisory lock 4242');
    assert.strictEqual(effect?.statementIndex, 0);
    const other = await connect(db);
    try {
      const { rows } = await other.query('SELECT pg_try_advisory_lock(4242) AS got');
      assert.strictEqual(rows[0].got, true);
    } finally {
      await other.end();
    }
  });

  it('reports sequences the script advanced, which ROLLBACK does not reset', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id serial PRIMARY KEY, v int)');
    const report = await dryRunOn(db, 'INSERT INTO t (v) VALUES (1), (2), (3);\n');
    assert.deepStrictEqual(
      report.sideEffects.filter((e) => e.kind === 'sequence').map((e) => [e.object, e.detail.split(';')[0]]),
      [['public.t_id_seq', 'advanced by 3 (to 3)']],
    );
  });

  it('reports the dead row versions its writes leave behind', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 10);');
    const report = await dryRunOn(
      db,
      'UPDATE t SET id = id + 1;\nINSERT INTO t VALUES (0);\nDELETE FROM t;\nCREATE TABLE fresh AS SELECT 1;\nINSERT INTO fresh VALUES (2);\n',
    );
    assert.deepStrictEqual(
      report.sideEffects.filter((e) => e.kind === 'dead-rows').map((e) => [e.object, e.detail.split(' ')[0]]),
      [['public.t', '11']],
    );
  });

  it('reports a NOTIFY as never delivered', async () => {
    const db = await freshDatabase();
    const report = await dryRunOn(db, "NOTIFY deploys, 'done';\nSELECT pg_notify('jobs', 'x');\n");
    assert.deepStrictEqual(
      report.sideEffects.filter((e) => e.kind === 'notify').map((e) => e.object),
      ['deploys', 'jobs'],
    );
  });

  it('refuses statements whose effects escape the transaction unless side effects are allowed', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id int)');
    const sql =
      "COPY t TO PROGRAM 'cat > /dev/null';\nSELECT pg_terminate_backend(0);\nSELECT pg_reload_conf();\nINSERT INTO t VALUES (1);\n";
    const report = await dryRunOn(db, sql);
    assert.deepStrictEqual(
      report.statements.map((s) => s.status),
      ['skipped', 'skipped', 'skipped', 'ok'],
    );
    assert.match(
      report.statements[0].reason ?? '',
      /refused: COPY \.\.\. TO PROGRAM runs a program on the database server/,
    );
    assert.match(report.statements[1].reason ?? '', /--allow-side-effects/);
    const allowed = await dryRunOn(db, 'SELECT pg_reload_conf();\n', { allowSideEffects: true });
    assert.strictEqual(allowed.statements[0].status, 'ok');
    assert.strictEqual(allowed.sideEffects[0]?.kind, 'external');
  });

  it('refuses on a connected database a statement whose effects cannot be decided statically, and runs it when side effects are allowed', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id int)');
    // What `EXECUTE 'INSERT INTO ' || tbl ...` runs is known only when it runs: it could be a COPY ... PROGRAM.
    const sql =
      "DO $$ DECLARE tbl text := 't'; BEGIN EXECUTE 'INSERT INTO ' || tbl || ' VALUES (1)'; END $$;\nINSERT INTO t SELECT * FROM t;\n";
    const report = await dryRunOn(db, sql);
    assert.deepStrictEqual(
      report.statements.map((s) => [s.status, s.rowCount]),
      [
        ['skipped', null],
        ['ok', 0],
      ],
    );
    assert.match(
      report.statements[0].reason ?? '',
      /^refused: what it runs cannot be known before it runs \(EXECUTE of a query built when it runs \('INSERT INTO ' \|\| tbl/,
    );
    assert.match(report.statements[0].reason ?? '', /--allow-side-effects/);
    const allowed = await dryRunOn(db, sql, { allowSideEffects: true });
    assert.deepStrictEqual(
      allowed.statements.map((s) => [s.status, s.rowCount]),
      [
        ['ok', null],
        ['ok', 1],
      ],
      'the DO block inserted its row',
    );
    assert.match(
      allowed.sideEffects.find((e) => e.kind === 'external')?.detail ?? '',
      /EXECUTE of a query built when it runs .*it ran because side effects were allowed/,
    );
  });

  it('reports the locks each statement takes, what they block, and table rewrites', async () => {
    const db = await freshDatabase();
    await setUp(
      db,
      'CREATE TABLE parent (id int PRIMARY KEY); CREATE TABLE child (id int, parent_id int, n int); INSERT INTO child VALUES (1, NULL, 1);',
    );
    const report = await dryRunOn(
      db,
      `ALTER TABLE child ADD CONSTRAINT child_parent FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID;
ALTER TABLE child ALTER COLUMN n TYPE bigint;
CREATE TABLE fresh (id int);
ALTER TABLE fresh ADD COLUMN v int;
`,
    );
    const [fk, type, , fresh] = report.statements;
    assert.deepStrictEqual(fk.locks.map((l) => [l.relation, l.mode]).sort(), [
      ['public.child', 'ShareRowExclusiveLock'],
      ['public.parent', 'ShareRowExclusiveLock'],
    ]);
    assert.deepStrictEqual(fk.locks[0].blocks, ['INSERT', 'UPDATE', 'DELETE', 'VACUUM', 'CREATE INDEX', 'DDL']);
    const exclusive = type.locks.find((l) => l.relation === 'public.child');
    assert.strictEqual(exclusive?.mode, 'AccessExclusiveLock');
    assert.strictEqual(exclusive?.blocksWork, 'reads and writes');
    assert.deepStrictEqual(type.rewrites, [{ relation: 'public.child', kind: 'table' }]);
    assert.deepStrictEqual(fresh.locks, [], 'a table created by the migration is invisible to others');
  });

  it('flags a sequential scan that no index can serve on a big table', async () => {
    const db = await freshDatabase();
    await setUp(
      db,
      `CREATE TABLE sync_lookup (record_id text NOT NULL, record_type text NOT NULL, tick int, UNIQUE (record_id, record_type));
       INSERT INTO sync_lookup SELECT g::text, 'patient', g FROM generate_series(1, 2000) g;
       ANALYZE sync_lookup;`,
    );
    const report = await dryRunOn(
      db,
      `DELETE FROM sync_lookup WHERE tick < 10 AND record_id NOT IN ('1', '2');
DELETE FROM sync_lookup WHERE record_id = '5';
`,
      { seqScanThreshold: 1000 },
    );
    const [byTick, byId] = report.statements;
    assert.deepStrictEqual(
      byTick.plan?.seqScans.map((s) => [s.relation, s.estimatedRows, s.flagged, s.indexCouldServe]),
      [['public.sync_lookup', 2000, true, false]],
    );
    assert.ok(byTick.plan?.explain, 'the EXPLAIN (FORMAT JSON) plan is in the report');
    assert.ok((byId.plan?.seqScans ?? []).every((s) => s.indexCouldServe === true));
  });

  it('keeps its lock_timeout when the script sets lock_timeout = 0', async () => {
    const db = await freshDatabase();
    const report = await dryRunOn(db, 'SET lock_timeout = 0;\nSHOW lock_timeout;\n', { lockTimeout: '2s' });
    assert.match(report.statements[0].note ?? '', /lock_timeout at 2000 ms/);
  });

  it('reports lock_timeout when another session holds a conflicting lock, and who holds it', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE busy (id int)');
    const holder = await connect(db);
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE busy IN ACCESS SHARE MODE');
      const { rows } = await holder.query('SELECT pg_backend_pid() AS pid');
      const report = await dryRunOn(db, 'ALTER TABLE busy ADD COLUMN v int;\n', { lockTimeout: '1s' });
      const error = report.statements[0].error!;
      assert.strictEqual(error.code, '55P03');
      assert.strictEqual(error.timeout, 'lock_timeout');
      assert.deepStrictEqual(
        error.blockedBy?.map((b) => b.pid),
        [rows[0].pid],
      );
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });

  it('is cancelled by its AbortSignal mid-statement, rolls back and says so', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id int)');
    const controller = new AbortController();
    const started = Date.now();
    const running = dryRunOn(db, 'INSERT INTO t VALUES (1);\nSELECT pg_sleep(30);\nINSERT INTO t VALUES (2);\n', {
      signal: controller.signal,
      onProgress: (event) => {
        if (event.message.includes('pg_sleep')) setTimeout(() => controller.abort(), 300);
      },
    });
    const report = await running;
    assert.ok(Date.now() - started < 15_000);
    assert.strictEqual(report.outcome, 'cancelled');
    assert.strictEqual(report.interrupted?.reason, 'cancelled');
    assert.deepStrictEqual(
      report.statements.map((s) => s.status),
      ['ok', 'error', 'not-run'],
    );
    assert.strictEqual(report.statements[1].error?.code, '57014');
  });

  it('says the connection was lost when another session terminates it, and persists nothing', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id int)');
    const killer = await connect(db);
    try {
      const report = await dryRunOn(db, 'INSERT INTO t VALUES (1);\nSELECT pg_sleep(30);\n', {
        onProgress: (event) => {
          if (!event.message.includes('pg_sleep')) return;
          setTimeout(() => {
            killer
              .query(
                `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'preflight dry-run' AND datname = current_database()`,
              )
              .catch(() => undefined);
          }, 300);
        },
      });
      assert.strictEqual(report.outcome, 'failed');
      assert.strictEqual(report.interrupted?.reason, 'connection-lost');
      assert.match(
        report.interrupted!.message,
        /connection to the server was lost .*terminating connection due to administrator command.*nothing was committed/,
      );
      assert.strictEqual(report.statements[1].error?.code, '57P01');
    } finally {
      await killer.end();
    }
  });

  it('dry-runs only the statements of a selection', async () => {
    const db = await freshDatabase();
    const sql = 'SELECT 1;\nSELECT 2;\nSELECT 3;\n';
    const start = sql.indexOf('SELECT 2');
    const report = await dryRunOn(db, sql, { range: { start, end: start + 3 } });
    assert.deepStrictEqual(
      report.statements.map((s) => [s.line, s.status, s.startOffset]),
      [[2, 'ok', start]],
    );
  });

  it('skips statements built from template holes and reports ORM calls it cannot run', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id int)');
    const report = await dryRunOn(
      db,
      `module.exports = {
  async up(queryInterface) {
    await queryInterface.sequelize.query(\`DELETE FROM \${TABLE}\`);
    await queryInterface.addColumn('t', 'v', columnOptions());
    await queryInterface.sequelize.query('INSERT INTO t VALUES (1)');
  },
};
`,
      { fileName: '20240101-add.js' },
    );
    assert.deepStrictEqual(
      report.statements.map((s) => s.status),
      ['skipped', 'skipped', 'ok'],
    );
    assert.match(report.statements[0].reason ?? '', /template hole/);
    assert.match(report.statements[1].reason ?? '', /addColumn public\.t: an ORM or query-builder call/);
  });

  it('does not run an ORM call whose name or value only the running code knows: its placeholder is a hole', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id int)');
    const report = await dryRunOn(
      db,
      `const { TABLE_NAMES, STATUSES } = require('@acme/constants');
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addColumn(TABLE_NAMES.ORDERS, 'v', { type: Sequelize.INTEGER });
    await queryInterface.addColumn('t', 'status', { type: Sequelize.TEXT, defaultValue: STATUSES.OPEN });
    await queryInterface.sequelize.query('INSERT INTO t VALUES (1)');
  },
};
`,
      { fileName: '20240101-add.js' },
    );
    assert.deepStrictEqual(
      report.statements.map((s) => s.status),
      ['skipped', 'skipped', 'ok'],
    );
    assert.match(report.statements[0].reason ?? '', /cannot run as written/);
    assert.match(report.statements[1].reason ?? '', /cannot run as written/);
  });
});

describe('dry-run of what scripts do around the transaction', function () {
  this.timeout(60_000);

  it('loads COPY ... FROM stdin data from a psql script and skips psql meta-commands', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id int, name text)');
    const report = await dryRunOn(
      db,
      '\\set ON_ERROR_STOP on\nCOPY t (id, name) FROM stdin;\n1\tone\n2\ttwo\n\\.\nSELECT count(*) FROM t;\n',
    );
    assert.deepStrictEqual(
      report.statements.map((s) => [s.status, s.rowCount]),
      [
        ['skipped', null],
        ['ok', 2],
        ['ok', 1],
      ],
    );
    assert.match(report.statements[0].reason ?? '', /psql meta-command/);
  });

  it('never prepares a transaction and never finishes another one', async () => {
    const db = await freshDatabase();
    const report = await dryRunOn(db, "BEGIN;\nSELECT 1;\nPREPARE TRANSACTION 'x';\nCOMMIT PREPARED 'other';\n");
    assert.deepStrictEqual(
      report.statements.map((s) => s.status),
      ['ok', 'ok', 'skipped', 'skipped'],
    );
    assert.match(report.statements[2].reason ?? '', /two-phase commit/);
  });

  it('reports a deferred foreign key violation where the migration commits', async () => {
    const db = await freshDatabase();
    await setUp(
      db,
      `CREATE TABLE parent (id int PRIMARY KEY);
       CREATE TABLE child (parent_id int REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);`,
    );
    const report = await dryRunOn(db, 'INSERT INTO child VALUES (1);\nSELECT 1;\n');
    const last = report.statements[1];
    assert.strictEqual(last.status, 'error');
    assert.strictEqual(last.error?.code, '23503');
    assert.strictEqual(last.error?.atCommit, true);
  });

  it('restores deferred constraints after a COMMIT even when a non-deferrable constraint shares their name', async () => {
    const db = await freshDatabase();
    await setUp(
      db,
      `CREATE TABLE parent (id int PRIMARY KEY);
       CREATE TABLE a (parent_id int CONSTRAINT fk_parent REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
       CREATE TABLE b (parent_id int CONSTRAINT fk_parent REFERENCES parent (id));`,
    );
    const report = await dryRunOn(db, 'BEGIN;\nINSERT INTO parent VALUES (1);\nCOMMIT;\nINSERT INTO a VALUES (1);\n');
    assert.strictEqual(report.outcome, 'ok', JSON.stringify(report.statements.map((s) => s.error)));
  });

  it('skips VACUUM and SET TRANSACTION, which cannot run where the dry-run is', async () => {
    const db = await freshDatabase();
    await setUp(db, 'CREATE TABLE t (id int)');
    const report = await dryRunOn(db, 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nVACUUM t;\nANALYZE t;\n');
    assert.deepStrictEqual(
      report.statements.map((s) => s.status),
      ['skipped', 'skipped', 'ok'],
    );
    assert.match(report.statements[1].reason ?? '', /VACUUM cannot run inside a transaction block/);
  });

  it('reports statement_timeout as such', async () => {
    const db = await freshDatabase();
    const report = await dryRunOn(db, 'SELECT pg_sleep(5);\n', { statementTimeout: '300ms' });
    assert.strictEqual(report.statements[0].error?.code, '57014');
    assert.strictEqual(report.statements[0].error?.timeout, 'statement_timeout');
    assert.strictEqual(report.outcome, 'failed');
  });
});
