import * as assert from 'assert';
import * as fs from 'fs';
import { type DryRunReport, stopEmbeddedServer } from '../server/src/dryrun';
import { lineOf, setUp } from './support/dry-run';
import {
  dryRunInProject,
  embeddedCacheDir,
  frameworkProject,
  lintedRules,
  skippedStatements,
  transactionConfig,
  unchangedDatabase,
} from './support/framework-project';
import { connectionUrl, freshDatabase } from './support/postgres';
import { runPreflight } from './support/cli';

/**
 * Issue 13 part 2, continued: node-pg-migrate, db-migrate and Kysely migrations dry-run through the project's own
 * copy of their framework (here this repository's node_modules: node-pg-migrate 7, db-migrate 0.11 with
 * db-migrate-pg, Kysely 0.28), connected to the transaction proxy, after the earlier migrations of their folder were
 * replayed the same way into the embedded database; in the transaction the lint says each runs in.
 */

interface Migration {
  file: string;
  text: string;
}

interface FrameworkCase {
  framework: 'node-pg-migrate' | 'db-migrate' | 'kysely';
  /**
   * Creates `parents` and `children` (children.parent_id references parents); `sentAt`: where each statement it sends
   * is reported, in order (a line holding the text, or the first line holding the second text from the first's).
   */
  createTables: Migration & { sentAt: (string | [string, string])[] };
  /** Inserts a child, then its parent: 23503 at the line holding `childInsert`. */
  childrenFirst: Migration & { childInsert: string };
  /** Inserts a parent, then its child: each INSERT at the line holding its marker. */
  parentsFirst: Migration & { inserts: [string, string] };
  /** Adds `orders.status` and builds an index on it CONCURRENTLY, at the line holding `index`. */
  concurrentIndex: Migration & { index: string };
  /** The same migration taken out of the framework's transaction, as its users do it. */
  concurrentIndexOptedOut: Migration & { how: string; files?: Record<string, string> };
  /** The table where the framework records what it ran: never written by a dry-run. */
  bookkeeping: RegExp;
  /** What ends the framework's transaction when a statement fails: ROLLBACK, or nothing (it closes the connection). */
  endsFailedTransaction: string[];
}

const NODE_PG_MIGRATE: FrameworkCase = {
  framework: 'node-pg-migrate',
  createTables: {
    file: 'migrations/1704067200000_create-tables.js',
    text: `/* eslint-disable camelcase */

exports.shorthands = {
  id: { type: 'integer', primaryKey: true },
};

/** @param pgm {import('node-pg-migrate').MigrationBuilder} */
exports.up = (pgm) => {
  pgm.createTable('parents', { id: 'id' });
  pgm.createTable('children', {
    id: 'id',
    parent_id: { type: 'integer', notNull: true, references: 'parents' },
  });
};

exports.down = (pgm) => {
  pgm.dropTable('children');
  pgm.dropTable('parents');
};
`,
    sentAt: ["createTable('parents'", "createTable('children'"],
  },
  childrenFirst: {
    file: 'migrations/1704153600000_children-first.ts',
    text: `import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql('INSERT INTO children (id, parent_id) VALUES (1, 1)');
  pgm.sql('INSERT INTO parents (id) VALUES (1)');
}

export async function down(): Promise<void> {}
`,
    childInsert: 'INSERT INTO children',
  },
  parentsFirst: {
    file: 'migrations/1704153600000_parents-first.ts',
    text: `import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql('INSERT INTO parents (id) VALUES (1)');
  pgm.sql('INSERT INTO children (id, parent_id) VALUES (1, 1)');
}
`,
    inserts: ['INSERT INTO parents', 'INSERT INTO children'],
  },
  concurrentIndex: {
    file: 'migrations/1704240000000_status-index.js',
    text: `exports.up = (pgm) => {
  pgm.addColumns('orders', { status: { type: 'text' } });
  pgm.createIndex('orders', 'status', { concurrently: true });
};
`,
    index: 'createIndex',
  },
  concurrentIndexOptedOut: {
    file: 'migrations/1704240000000_status-index.js',
    text: `exports.up = (pgm) => {
  pgm.noTransaction();
  pgm.addColumns('orders', { status: { type: 'text' } });
  pgm.createIndex('orders', 'status', { concurrently: true });
};
`,
    how: 'pgm.noTransaction()',
  },
  bookkeeping: /pgmigrations/i,
  endsFailedTransaction: ['ROLLBACK'],
};

const DB_MIGRATE_SETUP = `'use strict';

var dbm;
var type;
var seed;

exports.setup = function (options, seedLink) {
  dbm = options.dbmigrate;
  type = dbm.dataType;
  seed = seedLink;
};
`;

/** Run in db-migrate's transaction, or `--non-transactional` (the config's `"transaction": "none"`). */
const DB_MIGRATE_STATUS_INDEX = `${DB_MIGRATE_SETUP}
exports.up = async function (db) {
  await db.addColumn('orders', 'status', { type: 'text' });
  await db.runSql('CREATE INDEX CONCURRENTLY orders_status_index ON orders (status)');
};
`;

const DB_MIGRATE: FrameworkCase = {
  framework: 'db-migrate',
  createTables: {
    file: 'migrations/20240101000000-create-tables.js',
    text: `${DB_MIGRATE_SETUP}
exports.up = function (db) {
  return db.createTable('parents', { id: { type: type.INTEGER, primaryKey: true } }).then(function () {
    return db.createTable('children', {
      id: { type: type.INTEGER, primaryKey: true },
      parent_id: {
        type: type.INTEGER,
        notNull: true,
        foreignKey: { name: 'children_parent_id_fk', table: 'parents', mapping: 'id', rules: {} },
      },
    });
  });
};

exports.down = function (db) {
  return db.dropTable('children').then(() => db.dropTable('parents'));
};

exports._meta = { version: 1 };
`,
    // Its foreign key is an ALTER TABLE db-migrate sends after the CREATE TABLE, for the same call.
    sentAt: ["createTable('parents'", "createTable('children'", "createTable('children'"],
  },
  childrenFirst: {
    file: 'migrations/20240102000000-children-first.js',
    text: `${DB_MIGRATE_SETUP}
exports.up = function (db, callback) {
  db.runSql('INSERT INTO children (id, parent_id) VALUES (1, 1)', function (err) {
    if (err) return callback(err);
    db.runSql('INSERT INTO parents (id) VALUES (1)', callback);
  });
};

exports.down = function (db, callback) {
  callback();
};
`,
    childInsert: 'INSERT INTO children',
  },
  parentsFirst: {
    file: 'migrations/20240102000000-parents-first.js',
    text: `${DB_MIGRATE_SETUP}
exports.up = async function (db) {
  await db.runSql('INSERT INTO parents (id) VALUES (?)', [1]);
  await db.runSql('INSERT INTO children (id, parent_id) VALUES (1, 1)');
};
`,
    inserts: ['INSERT INTO parents', 'INSERT INTO children'],
  },
  concurrentIndex: {
    file: 'migrations/20240103000000-status-index.js',
    text: DB_MIGRATE_STATUS_INDEX,
    index: 'CONCURRENTLY',
  },
  concurrentIndexOptedOut: {
    file: 'migrations/20240103000000-status-index.js',
    text: DB_MIGRATE_STATUS_INDEX,
    how: '"transaction": "none" (db-migrate up --non-transactional)',
    files: transactionConfig('none'),
  },
  bookkeeping: /\bmigrations\b/i,
  // db-migrate sends no ROLLBACK: `db-migrate up` closes its connection, which ends the transaction.
  endsFailedTransaction: [],
};

/** Run in the Migrator's transaction, or by a Migrator with `disableTransactions` (`"transaction": "none"`). */
const KYSELY_STATUS_INDEX = `import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('orders').addColumn('status', 'text').execute();
  await sql\`CREATE INDEX CONCURRENTLY orders_status_index ON orders (status)\`.execute(db);
}
`;

const KYSELY: FrameworkCase = {
  framework: 'kysely',
  createTables: {
    file: 'migrations/2024-01-01-create-tables.ts',
    text: `import { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('parents')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .execute();
  await db.schema
    .createTable('children')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('parent_id', 'integer', (col) => col.notNull().references('parents.id'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('children').execute();
  await db.schema.dropTable('parents').execute();
}
`,
    // The line of `.execute()`, the call that sends a Kysely builder's statement.
    sentAt: [
      ["createTable('parents')", '.execute()'],
      ["createTable('children')", '.execute()'],
    ],
  },
  childrenFirst: {
    file: 'migrations/2024-01-02-children-first.ts',
    text: `import { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.insertInto('children').values({ id: 1, parent_id: 1 }).execute();
  await db.insertInto('parents').values({ id: 1 }).execute();
}
`,
    childInsert: "insertInto('children')",
  },
  parentsFirst: {
    file: 'migrations/2024-01-02-parents-first.ts',
    text: `import { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.insertInto('parents').values({ id: 1 }).execute();
  await db.insertInto('children').values({ id: 1, parent_id: 1 }).execute();
}
`,
    inserts: ["insertInto('parents')", "insertInto('children')"],
  },
  concurrentIndex: {
    file: 'migrations/2024-01-03-status-index.ts',
    text: KYSELY_STATUS_INDEX,
    index: 'CONCURRENTLY',
  },
  concurrentIndexOptedOut: {
    file: 'migrations/2024-01-03-status-index.ts',
    text: KYSELY_STATUS_INDEX,
    how: '"transaction": "none" (a Migrator with disableTransactions)',
    files: transactionConfig('none'),
  },
  bookkeeping: /kysely_migration/i,
  endsFailedTransaction: ['ROLLBACK'],
};

const ORDERS = `CREATE TABLE orders (id serial PRIMARY KEY, amount int NOT NULL);
INSERT INTO orders (amount) VALUES (10), (20);`;

const PARENTS_AND_CHILDREN = `CREATE TABLE parents (id int PRIMARY KEY);
CREATE TABLE children (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parents (id));`;

function lineFrom(text: string, at: string | [string, string]): number {
  if (typeof at === 'string') return lineOf(text, at);
  const from = lineOf(text, at[0]);
  return (
    from +
    lineOf(
      text
        .split('\n')
        .slice(from - 1)
        .join('\n'),
      at[1],
    ) -
    1
  );
}

const statementsShown = (report: DryRunReport) =>
  JSON.stringify(report.statements.map((s) => [s.sql, s.status, s.line, s.error?.code, s.note]));

const savepointCommands = (report: DryRunReport) =>
  report.statements.filter((s) => /savepoint/.test(s.note ?? '')).map((s) => s.command);

describe('dry-run of a node-pg-migrate, db-migrate or Kysely migration through its own framework', function () {
  this.timeout(180_000);
  const cacheDir = embeddedCacheDir();

  after(async () => {
    await stopEmbeddedServer();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  for (const given of [NODE_PG_MIGRATE, DB_MIGRATE, KYSELY]) {
    const { framework } = given;

    it(`${framework}: reports 23503 at the insert line of a migration inserting children before parents, after the createTable migration replayed through ${framework} into the embedded default; nothing skipped`, async () => {
      const { childrenFirst, createTables } = given;
      const dir = frameworkProject({
        [createTables.file]: createTables.text,
        [childrenFirst.file]: childrenFirst.text,
      });
      const report = await dryRunInProject(dir, childrenFirst.file, cacheDir);
      assert.strictEqual(report.database.kind, 'embedded');
      assert.deepStrictEqual(report.database.replayed, [createTables.file.replace('migrations/', '')]);
      assert.deepStrictEqual(skippedStatements(report), [], statementsShown(report));
      assert.strictEqual(report.outcome, 'failed');
      assert.deepStrictEqual(
        report.statements.filter((s) => s.status === 'error').map((s) => [s.error?.code, s.line]),
        [['23503', lineOf(childrenFirst.text, childrenFirst.childInsert)]],
        statementsShown(report),
      );
      assert.match(report.program?.command ?? '', new RegExp(`^${framework} \\d+\\.\\d+\\.\\d+: `));
    });

    it(`${framework}: runs the createTable migration on an empty database: every statement ok at the line of the call that sent it`, async () => {
      const database = await freshDatabase(`${framework.replace(/-/g, '_')}_create`);
      const { createTables } = given;
      const dir = frameworkProject({ [createTables.file]: createTables.text });
      const report = await unchangedDatabase(database, () =>
        dryRunInProject(dir, createTables.file, cacheDir, { databaseUrl: connectionUrl(database) }),
      );
      assert.strictEqual(report.outcome, 'ok', statementsShown(report));
      assert.deepStrictEqual(
        report.statements.filter((s) => !/savepoint/.test(s.note ?? '')).map((s) => [s.status, s.line]),
        createTables.sentAt.map((at) => ['ok', lineFrom(createTables.text, at)]),
        statementsShown(report),
      );
    });

    it(`${framework}: runs a correct migration ok, every statement at its line, its own transaction as savepoints of the dry-run's, not recorded as run, the database unchanged`, async () => {
      const database = await freshDatabase(`${framework.replace(/-/g, '_')}_ok`);
      await setUp(database, PARENTS_AND_CHILDREN);
      const { parentsFirst } = given;
      const dir = frameworkProject({ [parentsFirst.file]: parentsFirst.text });
      const report = await unchangedDatabase(database, () =>
        dryRunInProject(dir, parentsFirst.file, cacheDir, { databaseUrl: connectionUrl(database) }),
      );
      assert.strictEqual(report.outcome, 'ok', statementsShown(report));
      assert.deepStrictEqual(skippedStatements(report), []);
      assert.deepStrictEqual(
        report.statements.filter((s) => s.command === 'INSERT').map((s) => [s.rowCount, s.line]),
        parentsFirst.inserts.map((insert) => [1, lineOf(parentsFirst.text, insert)]),
        statementsShown(report),
      );
      assert.deepStrictEqual(savepointCommands(report), ['BEGIN', 'COMMIT']);
      assert.deepStrictEqual(
        report.statements.filter((s) => given.bookkeeping.test(s.sql)).map((s) => s.sql),
        [],
        'nothing recorded as run',
      );
    });

    it(`${framework}: runs a migration in the transaction the lint says it runs in: its CONCURRENTLY index fails with 25001 at its line, and the lint reports ban-concurrent-index-creation-in-transaction`, async () => {
      const database = await freshDatabase(`${framework.replace(/-/g, '_')}_in_transaction`);
      await setUp(database, ORDERS);
      const { concurrentIndex } = given;
      const dir = frameworkProject({ [concurrentIndex.file]: concurrentIndex.text });
      const report = await unchangedDatabase(database, () =>
        dryRunInProject(dir, concurrentIndex.file, cacheDir, { databaseUrl: connectionUrl(database) }),
      );
      assert.strictEqual(report.outcome, 'failed');
      assert.deepStrictEqual(
        report.statements.filter((s) => s.status === 'error').map((s) => [s.error?.code, s.line]),
        [['25001', lineOf(concurrentIndex.text, concurrentIndex.index)]],
        statementsShown(report),
      );
      assert.deepStrictEqual(savepointCommands(report), ['BEGIN', ...given.endsFailedTransaction]);
      assert.ok(lintedRules(dir, concurrentIndex.file).includes('ban-concurrent-index-creation-in-transaction'));
    });

    it(`${framework}: runs a migration outside a transaction where it opts out (${given.concurrentIndexOptedOut.how}), as the lint reads it: its CONCURRENTLY index is not sent, the dry-run is ok and the lint silent for ban-concurrent-index-creation-in-transaction`, async () => {
      const database = await freshDatabase(`${framework.replace(/-/g, '_')}_no_transaction`);
      await setUp(database, ORDERS);
      const { concurrentIndexOptedOut: optedOut } = given;
      const dir = frameworkProject({ [optedOut.file]: optedOut.text, ...optedOut.files });
      const report = await unchangedDatabase(database, () =>
        dryRunInProject(dir, optedOut.file, cacheDir, { databaseUrl: connectionUrl(database) }),
      );
      assert.strictEqual(report.outcome, 'ok', statementsShown(report));
      assert.deepStrictEqual(savepointCommands(report), [], 'no transaction around the migration');
      const index = report.statements.find((s) => /create index/i.test(s.sql))!;
      assert.strictEqual(index.status, 'skipped');
      assert.match(index.reason ?? '', /production runs it outside a transaction/);
      assert.strictEqual(report.statements.find((s) => s.command === 'ALTER')?.status, 'ok');
      assert.ok(!lintedRules(dir, optedOut.file).includes('ban-concurrent-index-creation-in-transaction'));
    });

    it(`${framework}: falls back to the static dry-run where ${framework} is not installed, says so in one line, and leaves the database unchanged`, async () => {
      const database = await freshDatabase(`${framework.replace(/-/g, '_')}_missing`);
      await setUp(database, PARENTS_AND_CHILDREN);
      const { childrenFirst } = given;
      const dir = frameworkProject({ [childrenFirst.file]: childrenFirst.text }, { installed: false });
      const report = await unchangedDatabase(database, () =>
        dryRunInProject(dir, childrenFirst.file, cacheDir, { databaseUrl: connectionUrl(database) }),
      );
      assert.strictEqual(report.program, undefined);
      assert.deepStrictEqual(report.notes?.length, 1, JSON.stringify(report.notes));
      assert.match(report.notes[0], new RegExp(`^${framework} is not installed .*: dry-run sent the SQL it can see`));
    });

    it(`${framework}: preflight dry-run <migration> runs it through ${framework} and prints where it failed`, async () => {
      const database = await freshDatabase(`${framework.replace(/-/g, '_')}_cli`);
      await setUp(database, PARENTS_AND_CHILDREN);
      const { childrenFirst } = given;
      const dir = frameworkProject({ [childrenFirst.file]: childrenFirst.text });
      const args = ['dry-run', '--database-url', connectionUrl(database), childrenFirst.file];
      const json = runPreflight([...args, '--format', 'json'], { cwd: dir });
      assert.strictEqual(json.status, 1, json.stderr);
      const report = JSON.parse(json.stdout) as DryRunReport;
      assert.deepStrictEqual(
        report.statements.filter((s) => s.status === 'error').map((s) => [s.error?.code, s.line]),
        [['23503', lineOf(childrenFirst.text, childrenFirst.childInsert)]],
      );
      const pretty = runPreflight(args, { cwd: dir });
      assert.match(pretty.stdout, new RegExp(`Program: ${framework} \\d+\\.\\d+\\.\\d+: `));
    });
  }

  it("node-pg-migrate: builds a migration with the shorthands of the earlier migrations of its folder, as node-pg-migrate's runner merges them", async () => {
    const first = `exports.shorthands = {
  id: { type: 'integer', primaryKey: true },
  createdAt: { type: 'timestamptz', notNull: true, default: { literal: true, value: 'now()' } },
};

exports.up = (pgm) => {
  pgm.createTable('parents', { id: 'id', created_at: 'createdAt' });
};
`;
    const second = `exports.up = (pgm) => {
  pgm.createTable('children', { id: 'id', parent_id: { type: 'integer', references: 'parents' }, created_at: 'createdAt' });
};
`;
    const dir = frameworkProject({
      'migrations/1704067200000_parents.js': first,
      'migrations/1704153600000_children.js': second,
    });
    const report = await dryRunInProject(dir, 'migrations/1704153600000_children.js', cacheDir);
    assert.deepStrictEqual(report.database.replayed, ['1704067200000_parents.js']);
    assert.strictEqual(report.outcome, 'ok', JSON.stringify(report.statements.map((s) => [s.sql, s.error?.message])));
    const create = report.statements.find((s) => /create table "children"/i.test(s.sql));
    assert.match(create?.sql ?? '', /"id" integer PRIMARY KEY/i);
    assert.strictEqual(create?.line, lineOf(second, "createTable('children'"));
  });
});
