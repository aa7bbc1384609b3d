import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigCache } from '../server/src/config';
import { DryRunReport, dryRun, stopEmbeddedServer } from '../server/src/dryrun';
import { FileDryRunOptions } from '../server/src/dryrun/run-file';
import { ClusterConnection } from '../server/src/dryrun/embedded-cluster';
import { lineOf, setUp } from './support/dry-run';
import { runPreflight } from './support/cli';
import {
  dryRunInProject,
  embeddedCacheDir,
  frameworkProject as project,
  lintedRules,
  skippedStatements as skipped,
  unchangedDatabase as unchanged,
} from './support/framework-project';
import { connectionUrl, freshDatabase } from './support/postgres';

/**
 * Issue 13 part 2: a Knex or Sequelize migration or seeder dry-runs through the project's own framework (resolved
 * from the project's node_modules: here a symlink to this repository's, which holds knex 3 and sequelize 6),
 * connected to the transaction proxy, after the earlier migrations of its folder were replayed the same way into the
 * embedded database.
 */

/** One cache for the whole file: the first test initialises the embedded cluster, the others reuse it. */
const cacheDir = embeddedCacheDir();

function dryRunIn(dir: string, file: string, options: Partial<FileDryRunOptions> = {}): Promise<DryRunReport> {
  return dryRunInProject(dir, file, cacheDir, options);
}

const SEQUELIZE_CREATE_ORDERS = `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('orders', {
      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true },
      amount: { type: Sequelize.INTEGER, allowNull: false },
    });
    await queryInterface.bulkInsert('orders', [{ amount: 10 }, { amount: 20 }]);
  },
  async down(queryInterface) {
    await queryInterface.dropTable('orders');
  },
};
`;

const SEQUELIZE_ADD_STATUS = `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addColumn('orders', 'status', { type: Sequelize.TEXT });
    await queryInterface.sequelize.query("UPDATE orders SET status = 'open'");
  },
  async down(queryInterface) {
    await queryInterface.removeColumn('orders', 'status');
  },
};
`;

const KNEX_CREATE_TABLES = `exports.up = function (knex) {
  return knex.schema
    .createTable('parents', (table) => {
      table.integer('id').primary();
    })
    .createTable('children', (table) => {
      table.integer('id').primary();
      table.integer('parent_id').notNullable().references('id').inTable('parents');
    });
};
exports.down = (knex) => knex.schema.dropTable('children').dropTable('parents');
`;

const KNEX_CHILDREN_FIRST = `exports.up = async function (knex) {
  await knex('children').insert({ id: 1, parent_id: 1 });
  await knex('parents').insert({ id: 1 });
};
exports.down = async () => {};
`;

const SEQUELIZE_SEEDER_CHILDREN_FIRST = `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.bulkInsert('children', [{ id: 1, parent_id: 1 }]);
    await queryInterface.bulkInsert('parents', [{ id: 1 }]);
  },
  async down(queryInterface) {
    await queryInterface.bulkDelete('children', null, {});
  },
};
`;

const SEQUELIZE_CREATE_PARENTS_AND_CHILDREN = `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('parents', { id: { type: Sequelize.INTEGER, primaryKey: true } });
    await queryInterface.createTable('children', {
      id: { type: Sequelize.INTEGER, primaryKey: true },
      parent_id: { type: Sequelize.INTEGER, allowNull: false, references: { model: 'parents', key: 'id' } },
    });
  },
  async down(queryInterface) {
    await queryInterface.dropTable('children');
    await queryInterface.dropTable('parents');
  },
};
`;

/** Sequelize sends `CREATE INDEX CONCURRENTLY` for `concurrently: true`, which PostgreSQL refuses inside a transaction. */
const SEQUELIZE_ADD_STATUS_INDEX = `'use strict';
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addColumn('orders', 'status', { type: Sequelize.TEXT });
    await queryInterface.addIndex('orders', ['status'], { concurrently: true });
  },
  async down(queryInterface) {
    await queryInterface.removeIndex('orders', ['status']);
    await queryInterface.removeColumn('orders', 'status');
  },
};
`;

/** Its bulkInsert succeeds, then its UPDATE fails (23502): in a transaction, the inserted row goes with it. */
const SEQUELIZE_INSERT_THEN_FAIL = `'use strict';
module.exports = {
  async up(queryInterface) {
    await queryInterface.bulkInsert('orders', [{ amount: 30 }]);
    await queryInterface.sequelize.query('UPDATE orders SET amount = NULL');
  },
  async down() {},
};
`;

/** A Knex migration taken out of knex's transaction by SWITCH (a line of the file), with a CONCURRENTLY index. */
function knexAddStatusIndex(outOfTransaction: string): string {
  return `${outOfTransaction}
exports.up = async function (knex) {
  await knex.schema.alterTable('orders', (table) => table.text('status'));
  await knex.raw('CREATE INDEX CONCURRENTLY orders_status_index ON orders (status)');
};
exports.down = async () => {};
`;
}

const ORDERS = `CREATE TABLE orders (id serial PRIMARY KEY, amount int NOT NULL);
INSERT INTO orders (amount) VALUES (10), (20);`;

/** A config whose migrations folder has this `transaction` setting; none at all for undefined. */
function transactionConfig(transaction: 'per-migration' | 'none' | undefined): Record<string, string> {
  return transaction
    ? { '.preflightrc.json': JSON.stringify({ migrations: [{ path: 'migrations', transaction }] }) }
    : {};
}

const PARENTS_AND_CHILDREN = `CREATE TABLE parents (id int PRIMARY KEY);
CREATE TABLE children (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parents (id));`;

describe('dry-run of a migration or seeder through its own framework', function () {
  this.timeout(180_000);

  after(async () => {
    await stopEmbeddedServer();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it('runs a correct Sequelize migration (addColumn, then an UPDATE) after the createTable migration replayed through Sequelize: ok, nothing skipped', async () => {
    const dir = project({
      'migrations/20240101000000-create-orders.js': SEQUELIZE_CREATE_ORDERS,
      'migrations/20240102000000-add-status.js': SEQUELIZE_ADD_STATUS,
    });
    const report = await dryRunIn(dir, 'migrations/20240102000000-add-status.js');
    assert.strictEqual(report.database.kind, 'embedded');
    assert.deepStrictEqual(report.database.replayed, ['20240101000000-create-orders.js']);
    assert.deepStrictEqual(skipped(report), []);
    assert.strictEqual(report.outcome, 'ok', JSON.stringify(report.statements.map((s) => [s.sql, s.error?.message])));
    const update = report.statements.find((s) => s.command === 'UPDATE')!;
    assert.strictEqual(update.rowCount, 2, 'the rows the replayed bulkInsert committed into the template');
    assert.strictEqual(update.line, lineOf(SEQUELIZE_ADD_STATUS, 'UPDATE orders'));
    const alter = report.statements.find((s) => s.command === 'ALTER')!;
    assert.strictEqual(alter.line, lineOf(SEQUELIZE_ADD_STATUS, 'addColumn'));
    assert.match(alter.source?.call ?? '', /^queryInterface\.addColumn$/);
    assert.match(report.program?.command ?? '', /^sequelize 6\.\d+\.\d+: 20240102000000-add-status\.js$/);
  });

  for (const transaction of [undefined, 'per-migration'] as const) {
    it(`runs a Sequelize migration in a transaction where the lint says it runs in one (${transaction ? `"transaction": "${transaction}"` : 'the Sequelize default'}): its CONCURRENTLY index fails with 25001 at the addIndex line, and the lint reports ban-concurrent-index-creation-in-transaction`, async () => {
      const database = await freshDatabase('seq_in_transaction');
      await setUp(database, ORDERS);
      const file = 'migrations/20240102000000-add-status-index.js';
      const dir = project({ [file]: SEQUELIZE_ADD_STATUS_INDEX, ...transactionConfig(transaction) });
      const report = await unchanged(database, () => dryRunIn(dir, file, { databaseUrl: connectionUrl(database) }));
      assert.strictEqual(report.outcome, 'failed');
      assert.deepStrictEqual(
        report.statements.filter((s) => s.status === 'error').map((s) => [s.error?.code, s.line, s.source?.call]),
        [['25001', lineOf(SEQUELIZE_ADD_STATUS_INDEX, 'addIndex'), 'queryInterface.addIndex']],
        JSON.stringify(report.statements.map((s) => [s.sql, s.status, s.note])),
      );
      // The runner's own transaction around up() (Sequelize's START TRANSACTION, tagged BEGIN) and its ROLLBACK are
      // savepoints of the dry-run's.
      assert.deepStrictEqual(
        report.statements.filter((s) => /savepoint/.test(s.note ?? '')).map((s) => s.command),
        ['BEGIN', 'ROLLBACK'],
      );
      assert.ok(lintedRules(dir, file).includes('ban-concurrent-index-creation-in-transaction'));
    });
  }

  it('runs a Sequelize migration configured "transaction": "none" outside a transaction, as the lint reads it: its CONCURRENTLY index is not sent (production runs it outside one), the dry-run is ok and the lint silent for ban-concurrent-index-creation-in-transaction', async () => {
    const database = await freshDatabase('seq_no_transaction');
    await setUp(database, ORDERS);
    const file = 'migrations/20240102000000-add-status-index.js';
    const dir = project({ [file]: SEQUELIZE_ADD_STATUS_INDEX, ...transactionConfig('none') });
    const report = await unchanged(database, () => dryRunIn(dir, file, { databaseUrl: connectionUrl(database) }));
    assert.strictEqual(report.outcome, 'ok', JSON.stringify(report.statements.map((s) => [s.sql, s.error?.message])));
    const index = report.statements.find((s) => /create index/i.test(s.sql))!;
    assert.strictEqual(index.status, 'skipped');
    assert.match(index.reason ?? '', /production runs it outside a transaction/);
    assert.strictEqual(index.line, lineOf(SEQUELIZE_ADD_STATUS_INDEX, 'addIndex'));
    assert.deepStrictEqual(
      report.statements.filter((s) => /savepoint/.test(s.note ?? '')),
      [],
      'no transaction around the migration',
    );
    assert.ok(!lintedRules(dir, file).includes('ban-concurrent-index-creation-in-transaction'));
  });

  it('runs a Knex migration whose own config says `transaction: true` in a transaction although its folder is configured "transaction": "none" (knexfile disableTransactions), as Knex does: its CONCURRENTLY index fails with 25001 at its line, and the lint reports ban-concurrent-index-creation-in-transaction', async () => {
    const database = await freshDatabase('knex_opts_in');
    await setUp(database, ORDERS);
    const file = 'migrations/20240102000000-index-status.js';
    const migration = `exports.config = { transaction: true };
exports.up = async function (knex) {
  await knex.schema.alterTable('orders', (table) => table.text('status'));
  await knex.raw('CREATE INDEX CONCURRENTLY orders_status ON orders (status)');
};
exports.down = async () => {};
`;
    const dir = project({ [file]: migration, ...transactionConfig('none') });
    const report = await unchanged(database, () => dryRunIn(dir, file, { databaseUrl: connectionUrl(database) }));
    assert.deepStrictEqual(
      report.statements.filter((s) => s.status === 'error').map((s) => [s.error?.code, s.line]),
      [['25001', lineOf(migration, 'CREATE INDEX')]],
      JSON.stringify(report.statements.map((s) => [s.sql, s.status, s.note])),
    );
    assert.ok(lintedRules(dir, file).includes('ban-concurrent-index-creation-in-transaction'));
  });

  it('runs an ES module Knex migration (.mjs) through Knex, each statement at the line that sent it, as it runs one in CommonJS', async function () {
    // Node loads an ES module with require from 20.19 and 22.12 on, as Knex's own migrator does.
    if (!(process.features as { require_module?: boolean }).require_module) this.skip();
    const database = await freshDatabase('knex_esm');
    await setUp(database, ORDERS);
    const file = 'migrations/20240102000000_backfill.mjs';
    const migration = `export async function up(knex) {
  await knex.schema.alterTable('orders', (table) => table.text('status'));
  await knex('orders').update({ status: 'open' });
  await knex('orders').insert({ amount: null });
}

export async function down() {}
`;
    const dir = project({ [file]: migration });
    const report = await unchanged(database, () => dryRunIn(dir, file, { databaseUrl: connectionUrl(database) }));
    assert.match(report.program?.command ?? '', /^knex 3\.\d+\.\d+: 20240102000000_backfill\.mjs$/);
    assert.deepStrictEqual(
      report.statements
        .filter((s) => /^(alter|update|insert)/.test(s.sql))
        .map((s) => [s.status, s.line, s.error?.code]),
      [
        ['ok', lineOf(migration, 'alterTable'), undefined],
        ['ok', lineOf(migration, "update({ status: 'open' })"), undefined],
        ['error', lineOf(migration, 'insert('), '23502'],
      ],
    );
  });

  it('rolls a failing Sequelize migration back to its savepoint, as its per-migration transaction would: the row its earlier bulkInsert wrote is in no sum or sample of the data changes', async () => {
    const database = await freshDatabase('seq_rolled_back');
    await setUp(database, ORDERS);
    const file = 'migrations/20240102000000-insert-then-fail.js';
    const dir = project({ [file]: SEQUELIZE_INSERT_THEN_FAIL });
    const report = await unchanged(database, () => dryRunIn(dir, file, { databaseUrl: connectionUrl(database) }));
    assert.deepStrictEqual(
      report.statements.filter((s) => s.status === 'error').map((s) => [s.error?.code, s.line]),
      [['23502', lineOf(SEQUELIZE_INSERT_THEN_FAIL, 'UPDATE orders')]],
    );
    assert.strictEqual(report.statements.find((s) => s.command === 'INSERT')?.rowCount, 1);
    assert.strictEqual(report.statements.at(-1)?.command, 'ROLLBACK');
    // PostgreSQL's counters count the insert attempted; the sums and samples read the rows as they are at the end.
    const orders = report.dataChanges?.find((change) => change.table === 'public.orders');
    assert.deepStrictEqual([orders?.numericSums, orders?.samples], [[], []], JSON.stringify(report.dataChanges));
  });

  it('replays an earlier Sequelize migration into the embedded template in the transaction the lint assumes: one whose CONCURRENTLY index fails there is not replayed (25001), and is under "transaction": "none"', async () => {
    // The UPDATE of SEQUELIZE_ADD_STATUS alone: it needs the column the replayed migration added.
    const fillStatus = SEQUELIZE_ADD_STATUS.replace(/^.*addColumn.*\n/m, '');
    for (const transaction of [undefined, 'none'] as const) {
      const dir = project({
        ...transactionConfig(transaction),
        'migrations/20240101000000-create-orders.js': SEQUELIZE_CREATE_ORDERS,
        'migrations/20240102000000-add-status-index.js': SEQUELIZE_ADD_STATUS_INDEX,
        'migrations/20240103000000-fill-status.js': fillStatus,
      });
      const report = await dryRunIn(dir, 'migrations/20240103000000-fill-status.js');
      const shown = (name: string) => (transaction ? `migrations/${name}` : name);
      if (transaction === 'none') {
        assert.deepStrictEqual(report.database.replayed, [
          shown('20240101000000-create-orders.js'),
          shown('20240102000000-add-status-index.js'),
        ]);
        assert.strictEqual(report.outcome, 'ok', JSON.stringify(report.statements.map((s) => s.error)));
      } else {
        assert.deepStrictEqual(report.database.replayed, [shown('20240101000000-create-orders.js')]);
        assert.deepStrictEqual(
          report.database.notReplayed.map((skip) => skip.file),
          [shown('20240102000000-add-status-index.js')],
        );
        assert.match(report.database.notReplayed[0].reason, /^failed through sequelize 6\.\S+: .*\(SQLSTATE 25001\)$/);
        // Rolled back with its transaction: the column its addColumn added is not there.
        assert.deepStrictEqual(
          report.statements.filter((s) => s.status === 'error').map((s) => s.error?.code),
          ['42703'],
        );
      }
    }
  });

  for (const outOfTransaction of ['exports.config = { transaction: false };', '// preflight-transaction: none']) {
    it(`runs a Knex migration outside a transaction where the lint reads it so (${outOfTransaction}): its CONCURRENTLY index is not sent, the dry-run is ok and the lint silent for ban-concurrent-index-creation-in-transaction`, async () => {
      const database = await freshDatabase('knex_no_transaction');
      await setUp(database, ORDERS);
      const file = 'migrations/20240102_add_status_index.js';
      const migration = knexAddStatusIndex(outOfTransaction);
      const dir = project({ [file]: migration });
      const report = await unchanged(database, () => dryRunIn(dir, file, { databaseUrl: connectionUrl(database) }));
      assert.strictEqual(report.outcome, 'ok', JSON.stringify(report.statements.map((s) => [s.sql, s.error?.message])));
      const index = report.statements.find((s) => /create index/i.test(s.sql))!;
      assert.deepStrictEqual([index.status, index.line], ['skipped', lineOf(migration, 'CONCURRENTLY')]);
      assert.match(index.reason ?? '', /production runs it outside a transaction/);
      assert.ok(!lintedRules(dir, file).includes('ban-concurrent-index-creation-in-transaction'));
    });
  }

  it('reports 23503 at the insert line of a Knex migration that inserts children before parents, after the createTable migration replayed through Knex', async () => {
    const dir = project({
      'migrations/20240101_tables.js': KNEX_CREATE_TABLES,
      'migrations/20240102_children_first.js': KNEX_CHILDREN_FIRST,
    });
    const report = await dryRunIn(dir, 'migrations/20240102_children_first.js');
    assert.deepStrictEqual(report.database.replayed, ['20240101_tables.js']);
    assert.deepStrictEqual(skipped(report), []);
    assert.strictEqual(report.outcome, 'failed');
    const failed = report.statements.filter((s) => s.status === 'error');
    assert.deepStrictEqual(
      failed.map((s) => [s.error?.code, s.line, s.error?.line]),
      [['23503', 2, 2]],
      JSON.stringify(report.statements.map((s) => [s.sql, s.line, s.status])),
    );
    assert.match(failed[0].sql, /insert into "children"/i);
    // Knex's own transaction around the migration: its BEGIN and ROLLBACK are savepoints of the dry-run's.
    assert.deepStrictEqual(
      report.statements.filter((s) => /savepoint/.test(s.note ?? '')).map((s) => s.command),
      ['BEGIN', 'ROLLBACK'],
    );
    assert.strictEqual(report.program?.exitCode, 1);
  });

  it('reports 23503 at the bulkInsert line of a Sequelize seeder that inserts children before parents, and leaves the database unchanged', async () => {
    const database = await freshDatabase('seeder');
    await setUp(database, PARENTS_AND_CHILDREN);
    const dir = project({ 'seeders/20240101-demo.js': SEQUELIZE_SEEDER_CHILDREN_FIRST });
    const report = await unchanged(database, () =>
      dryRunIn(dir, 'seeders/20240101-demo.js', { databaseUrl: connectionUrl(database) }),
    );
    assert.deepStrictEqual(skipped(report), []);
    const failed = report.statements.filter((s) => s.status === 'error');
    assert.deepStrictEqual(
      failed.map((s) => [s.error?.code, s.line, s.source?.call]),
      [['23503', lineOf(SEQUELIZE_SEEDER_CHILDREN_FIRST, "bulkInsert('children'"), 'queryInterface.bulkInsert']],
    );
    assert.strictEqual(report.outcome, 'failed');
  });

  it('reports 23503 at the bulkInsert line of a Sequelize seeder on the embedded default, after the migrations of the configured folder replayed through Sequelize', async () => {
    const dir = project({
      '.preflightrc.json': JSON.stringify({ migrations: [{ path: 'migrations' }] }),
      'migrations/20240101000000-create-tables.js': SEQUELIZE_CREATE_PARENTS_AND_CHILDREN,
      'seeders/20240101-demo.js': SEQUELIZE_SEEDER_CHILDREN_FIRST,
    });
    const report = await dryRunIn(dir, 'seeders/20240101-demo.js');
    assert.strictEqual(report.database.kind, 'embedded');
    assert.deepStrictEqual(report.database.replayed, ['migrations/20240101000000-create-tables.js']);
    assert.deepStrictEqual(skipped(report), []);
    assert.deepStrictEqual(
      report.statements.filter((s) => s.status === 'error').map((s) => [s.error?.code, s.line]),
      [['23503', lineOf(SEQUELIZE_SEEDER_CHILDREN_FIRST, "bulkInsert('children'")]],
    );
  });

  it('leaves the database unchanged after a Knex migration whose transaction commits through the proxy, puts a returned builder at its line, and says when the saved file is not the text asked about', async () => {
    const database = await freshDatabase('knex');
    await setUp(database, PARENTS_AND_CHILDREN);
    const migration = `exports.up = async function (knex) {
  await knex('parents').insert([{ id: 1 }, { id: 2 }]);
  await knex('children').insert({ id: 1, parent_id: 2 });
  // Returned, not awaited: Knex runs it after up() has returned.
  return knex.schema.alterTable('children', (table) => table.text('name'));
};
`;
    const dir = project({ 'migrations/20240101_fill.js': migration });
    const report = await unchanged(database, () =>
      dryRunIn(dir, 'migrations/20240101_fill.js', { databaseUrl: connectionUrl(database) }),
    );
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    assert.deepStrictEqual(
      report.statements.filter((s) => s.command === 'INSERT').map((s) => [s.rowCount, s.line]),
      [
        [2, 2],
        [1, 3],
      ],
    );
    assert.deepStrictEqual(
      report.statements.filter((s) => s.command === 'ALTER').map((s) => s.line),
      [lineOf(migration, 'alterTable')],
    );
    assert.strictEqual(report.statements.at(-1)?.command, 'COMMIT');
    assert.strictEqual(report.notes, undefined);

    // The editor's unsaved text is not what runs: the report says the saved file ran.
    const edited = await unchanged(database, () =>
      dryRunIn(dir, 'migrations/20240101_fill.js', {
        databaseUrl: connectionUrl(database),
        text: migration.replace('{ id: 2 }', '{ id: 3 }'),
      }),
    );
    assert.deepStrictEqual(edited.notes, [
      'the file ran as saved on disk: its unsaved changes in the editor did not run (save it and dry-run again)',
    ]);
  });

  it('falls back to the static dry-run where the framework is not installed, and says so in one line', async () => {
    const database = await freshDatabase('missing');
    await setUp(database, PARENTS_AND_CHILDREN);
    const dir = project({ 'migrations/20240102_children_first.js': KNEX_CHILDREN_FIRST }, { installed: false });
    const report = await unchanged(database, () =>
      dryRunIn(dir, 'migrations/20240102_children_first.js', { databaseUrl: connectionUrl(database) }),
    );
    assert.strictEqual(report.program, undefined);
    assert.strictEqual(report.notes?.length, 1);
    assert.match(report.notes[0], /^knex is not installed .*: dry-run sent the SQL it can see in the file/);
    assert.ok(skipped(report).length > 0, 'the static dry-run skips the knex calls');

    const args = ['dry-run', '--database-url', connectionUrl(database), 'migrations/20240102_children_first.js'];
    const pretty = runPreflight(args, { cwd: dir }).stdout;
    assert.strictEqual(pretty.split('\n').filter((line) => line.includes('knex is not installed')).length, 1, pretty);
    const markdown = runPreflight([...args, '--format', 'markdown'], { cwd: dir }).stdout;
    assert.match(markdown, /^> knex is not installed/m);
  });

  it("runs no project code where running it was not asked for: lint --dry-run, check, --static and a .sql file's dry-run replay earlier Knex migrations statically", async () => {
    const marker = path.join(os.tmpdir(), `preflight-ran-${process.pid}-${Date.now()}`);
    const dir = project({
      'migrations/20240101_tables.js': `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n${KNEX_CREATE_TABLES}`,
      'migrations/20240102_fill.sql': 'INSERT INTO parents (id) VALUES (1);\n',
      'migrations/20240103_fill_children.js':
        "exports.up = async (knex) => {\n  await knex('children').insert({ id: 1, parent_id: 1 });\n};\n",
    });
    const file = path.join(dir, 'migrations/20240102_fill.sql');
    const config = new ConfigCache().configFor(file);
    const env = { PREFLIGHT_CACHE_DIR: cacheDir };
    // What check and lint --dry-run call; and the dry-run of a file with --static.
    const direct = await dryRun({ file, config, env, homeDir: cacheDir });
    const staticRun = await dryRunIn(dir, 'migrations/20240103_fill_children.js', { static: true });
    const sqlFile = await dryRunIn(dir, 'migrations/20240102_fill.sql');
    for (const report of [direct, staticRun, sqlFile]) {
      // Read, not run: the SQL of its createTable calls comes from knex's own generator on their literal arguments.
      assert.strictEqual(report.database.replayed[0], '20240101_tables.js');
      assert.deepStrictEqual(report.database.notReplayed, []);
    }
    assert.ok(!fs.existsSync(marker), 'the migration ran');

    const asked = await dryRunIn(dir, 'migrations/20240103_fill_children.js');
    assert.deepStrictEqual(asked.database.replayed, ['20240101_tables.js', '20240102_fill.sql']);
    assert.strictEqual(asked.outcome, 'ok', JSON.stringify(asked.statements.map((s) => s.error)));
    assert.ok(
      fs.existsSync(marker),
      'dry-run of a Knex migration replays the earlier one through Knex, running its code',
    );
    fs.rmSync(marker, { force: true });
  });

  /** A Knex migration that opens a pg Client of its own on the server its own config names (`real`). */
  const ownClientMigration = (real: ClusterConnection, id: number) => `const { Client } = require('pg');
exports.up = async function (knex) {
  const own = new Client(${JSON.stringify({ ...real })});
  await own.connect();
  await own.query('INSERT INTO parents (id) VALUES (${id})');
  await own.end();
};
exports.down = async () => {};
`;

  it('sends the pg Client a Knex migration opens itself, naming the real server, to the proxy, and leaves that database unchanged', async () => {
    const database = await freshDatabase('own_client');
    await setUp(database, PARENTS_AND_CHILDREN);
    const dir = project({ 'migrations/20240101_own_client.js': ownClientMigration(database, 7) });
    const report = await unchanged(database, () =>
      dryRunIn(dir, 'migrations/20240101_own_client.js', { databaseUrl: connectionUrl(database) }),
    );
    assert.strictEqual(report.outcome, 'ok', report.program?.stderr);
    const insert = report.statements.find((s) => s.command === 'INSERT')!;
    assert.deepStrictEqual([insert.status, insert.rowCount, insert.line], ['ok', 1, 5]);
  });

  it('replays an earlier Knex migration whose own pg Client names a real server into the embedded template instead: that server unchanged, the later migration sees the row', async () => {
    const production = await freshDatabase('own_client_replay');
    await setUp(production, PARENTS_AND_CHILDREN);
    const dir = project({
      'migrations/20240101_tables.js': KNEX_CREATE_TABLES,
      'migrations/20240102_own_client.js': ownClientMigration(production, 8),
      'migrations/20240103_child.js':
        "exports.up = async (knex) => {\n  await knex('children').insert({ id: 1, parent_id: 8 });\n};\n",
    });
    const report = await unchanged(production, () => dryRunIn(dir, 'migrations/20240103_child.js'));
    assert.strictEqual(report.database.kind, 'embedded');
    assert.deepStrictEqual(report.database.replayed, ['20240101_tables.js', '20240102_own_client.js']);
    assert.strictEqual(report.outcome, 'ok', JSON.stringify(report.statements.map((s) => s.error)));
  });

  it('preflight dry-run <migration> runs it through its framework and prints where it failed', async () => {
    const database = await freshDatabase('cli');
    await setUp(database, PARENTS_AND_CHILDREN);
    const dir = project({ 'seeders/20240101-demo.js': SEQUELIZE_SEEDER_CHILDREN_FIRST });
    const args = ['dry-run', '--database-url', connectionUrl(database), 'seeders/20240101-demo.js'];
    const json = runPreflight([...args, '--format', 'json'], { cwd: dir });
    assert.strictEqual(json.status, 1, json.stderr);
    const report = JSON.parse(json.stdout) as DryRunReport;
    assert.deepStrictEqual(
      report.statements.filter((s) => s.status === 'error').map((s) => [s.error?.code, s.line]),
      [['23503', 4]],
    );
    const pretty = runPreflight(args, { cwd: dir });
    assert.match(pretty.stdout, /Program: sequelize 6\.\d+\.\d+: 20240101-demo\.js/);
  });
});
