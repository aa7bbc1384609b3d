import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { ExecuteCommandRequest, ResponseError } from 'vscode-languageserver-protocol/node';
import { type DryRunReport, stopEmbeddedServer } from '../server/src/dryrun';
import { lineOf, setUp } from './support/dry-run';
import {
  dryRunInProject,
  embeddedCacheDir,
  frameworkProject,
  unchangedDatabase,
  lintedRules,
  skippedStatements,
} from './support/framework-project';
import type { ClusterConnection } from '../server/src/dryrun/embedded-cluster';
import { LspTestClient, workspaceWith } from './support/lsp-client';
import { REPO_ROOT } from './support/paths';
import { EditorConnection, connectionUrl, freshDatabase, plansDatabase } from './support/postgres';

/**
 * Issue 13 part 2: a TypeORM migration (`up(queryRunner)`) and a MikroORM migration (`addSql` in `up()`) dry-run
 * through the project's own TypeORM 0.3 / MikroORM 6 (from its node_modules: here a symlink to this repository's),
 * connected to the transaction proxy, after the earlier migrations of their folder were replayed the same way into
 * the embedded database.
 */

const cacheDir = embeddedCacheDir();

const TYPEORM_CREATE_TABLES = `import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class CreateParentsAndChildren1700000000000 implements MigrationInterface {
  name = 'CreateParentsAndChildren1700000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'parents',
        columns: [{ name: 'id', type: 'int', isPrimary: true }],
      }),
    );
    await queryRunner.query(
      \`CREATE TABLE "children" ("id" int PRIMARY KEY, "parent_id" int NOT NULL REFERENCES "parents" ("id"))\`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`DROP TABLE "children"\`);
    await queryRunner.dropTable('parents');
  }
}
`;

/** Inserts the child through a helper method before its parent: production's 23503. */
const TYPEORM_CHILDREN_FIRST = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class SeedFamilies1700000000001 implements MigrationInterface {
  name = 'SeedFamilies1700000000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await this.insertChild(queryRunner, 1, 1);
    await queryRunner.query(\`INSERT INTO "parents" ("id") VALUES ($1)\`, [1]);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`DELETE FROM "children"\`);
  }

  private async insertChild(queryRunner: QueryRunner, id: number, parentId: number): Promise<void> {
    await queryRunner.query(\`INSERT INTO "children" ("id", "parent_id") VALUES ($1, $2)\`, [id, parentId]);
  }
}
`;

/** The same, parents first, and a column added through the QueryRunner API. */
const TYPEORM_PARENTS_FIRST = `import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

export class SeedFamilies1700000000001 implements MigrationInterface {
  name = 'SeedFamilies1700000000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`INSERT INTO "parents" ("id") VALUES ($1)\`, [1]);
    await queryRunner.query(\`INSERT INTO "children" ("id", "parent_id") VALUES ($1, $2)\`, [1, 1]);
    await queryRunner.addColumn('children', new TableColumn({ name: 'nickname', type: 'text', isNullable: true }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('children', 'nickname');
  }
}
`;

/** A CONCURRENTLY index, which PostgreSQL refuses in a transaction; OUT_OF_TRANSACTION a line of the class. */
function typeormStatusIndex(outOfTransaction: string): string {
  return `import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddOrderStatusIndex1700000000002 implements MigrationInterface {
  name = 'AddOrderStatusIndex1700000000002';
${outOfTransaction}
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`ALTER TABLE "orders" ADD "status" text\`);
    await queryRunner.query(\`CREATE INDEX CONCURRENTLY "orders_status_index" ON "orders" ("status")\`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`DROP INDEX "orders_status_index"\`);
    await queryRunner.query(\`ALTER TABLE "orders" DROP COLUMN "status"\`);
  }
}
`;
}

const MIKRO_CREATE_TABLES = `import { Migration } from '@mikro-orm/migrations';

export class Migration20240101000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table "parents" ("id" int not null, constraint "parents_pkey" primary key ("id"));');
    this.addSql(
      'create table "children" ("id" int not null, "parent_id" int not null, constraint "children_pkey" primary key ("id"));',
    );
    this.addSql(
      'alter table "children" add constraint "children_parent_id_foreign" foreign key ("parent_id") references "parents" ("id");',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "children" cascade;');
    this.addSql('drop table if exists "parents" cascade;');
  }
}
`;

function mikroSeed(order: 'children first' | 'parents first'): string {
  const child = `    this.addSql('insert into "children" ("id", "parent_id") values (1, 1);');`;
  const parent = `    this.addSql('insert into "parents" ("id") values (1);');`;
  return `import { Migration } from '@mikro-orm/migrations';

export class Migration20240102000000 extends Migration {
  override async up(): Promise<void> {
${order === 'children first' ? `${child}\n${parent}` : `${parent}\n${child}`}
  }

  override async down(): Promise<void> {
    this.addSql('delete from "children";');
  }
}
`;
}

/** A CONCURRENTLY index, as the previous TypeORM one; OUT_OF_TRANSACTION a method of the class. */
function mikroStatusIndex(outOfTransaction: string): string {
  return `import { Migration } from '@mikro-orm/migrations';

export class Migration20240103000000 extends Migration {
${outOfTransaction}
  override async up(): Promise<void> {
    this.addSql('alter table "orders" add column "status" text null;');
    this.addSql('create index concurrently "orders_status_index" on "orders" ("status");');
  }
}
`;
}

const MIKRO_STATUS_INDEX_OUTSIDE_TRANSACTION = mikroStatusIndex(`  override isTransactional(): boolean {
    return false;
  }
`);

const typeormCreateOrders = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrders1700000000001 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`CREATE TABLE "orders" ("id" serial PRIMARY KEY, "amount" int NOT NULL)\`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`DROP TABLE "orders"\`);
  }
}
`;

/** Reads the column the index migration adds. */
const typeormLater = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class Later1700000000003 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`UPDATE "orders" SET "status" = 'open'\`);
  }

  public async down(): Promise<void> {}
}
`;

const mikroCreateOrders = `import { Migration } from '@mikro-orm/migrations';

export class Migration20240101000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table "orders" ("id" serial primary key, "amount" int not null);');
  }
}
`;

const mikroLater = `import { Migration } from '@mikro-orm/migrations';

export class Migration20240104000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('update "orders" set "status" = \\'open\\';');
  }
}
`;

const PARENTS_AND_CHILDREN = `CREATE TABLE parents (id int PRIMARY KEY);
CREATE TABLE children (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parents (id));`;

const ORDERS = `CREATE TABLE orders (id serial PRIMARY KEY, amount int NOT NULL);
INSERT INTO orders (amount) VALUES (10), (20);`;

const failures = (report: DryRunReport) => report.statements.filter((s) => s.status === 'error');
const shown = (report: DryRunReport) => JSON.stringify(report.statements.map((s) => [s.sql, s.line, s.status, s.note]));

/**
 * Dry-runs FILE of a project of FILES through the proxy on a new database of the test server set up with SETUP_SQL,
 * and checks that database is left exactly as it was.
 */
async function dryRunOnTestDatabase(
  setupSql: string,
  files: Record<string, string>,
  file: string,
  options: { installed?: boolean } = {},
): Promise<{ dir: string; report: DryRunReport }> {
  const database = await freshDatabase('orm');
  await setUp(database, setupSql);
  const dir = frameworkProject(files, options);
  const report = await unchangedDatabase(database, () =>
    dryRunInProject(dir, file, cacheDir, { databaseUrl: connectionUrl(database) }),
  );
  return { dir, report };
}

/**
 * The statements that would record the migration as run, or make the table that records it (TypeORM's `migrations`
 * and `typeorm_metadata`, MikroORM's `mikro_orm_migrations`): a dry-run sends none, even rolled back.
 */
const migrationRecords = (report: DryRunReport) =>
  report.statements.filter((s) => /\b(migrations|typeorm_metadata|mikro_orm_migrations)\b/i.test(s.sql));

describe('dry-run of a TypeORM or MikroORM migration through its own framework', function () {
  this.timeout(180_000);

  after(async () => {
    await stopEmbeddedServer();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  for (const { framework, earlier, later, insert, call } of [
    {
      framework: 'typeorm',
      earlier: ['migrations/1700000000000-CreateParentsAndChildren.ts', TYPEORM_CREATE_TABLES],
      later: ['migrations/1700000000001-SeedFamilies.ts', TYPEORM_CHILDREN_FIRST],
      insert: 'INSERT INTO "children"',
      call: 'queryRunner.query(...)',
    },
    {
      framework: 'mikro-orm',
      earlier: ['migrations/Migration20240101000000.ts', MIKRO_CREATE_TABLES],
      later: ['migrations/Migration20240102000000.ts', mikroSeed('children first')],
      insert: 'insert into "children"',
      call: 'this.addSql(...)',
    },
  ] as const) {
    it(`reports 23503 at the ${call} line of a ${framework} migration that inserts children before parents, after the earlier migration creating the tables replayed through ${framework} into the embedded database, nothing skipped`, async () => {
      const [laterFile, laterText] = later;
      const dir = frameworkProject({ [earlier[0]]: earlier[1], [laterFile]: laterText });
      const report = await dryRunInProject(dir, laterFile, cacheDir);
      assert.strictEqual(report.database.kind, 'embedded');
      assert.deepStrictEqual(report.database.replayed, [path.basename(earlier[0])]);
      assert.deepStrictEqual(report.database.notReplayed, []);
      assert.deepStrictEqual(skippedStatements(report), []);
      assert.strictEqual(report.outcome, 'failed');
      assert.deepStrictEqual(
        failures(report).map((s) => [s.error?.code, s.line, s.source?.call]),
        [['23503', lineOf(laterText, insert), call.replace('(...)', '')]],
        shown(report),
      );
      // The runner's transaction around the migration (TypeORM's per-migration one, MikroORM's migrator's): a
      // savepoint of the dry-run's.
      assert.deepStrictEqual(
        report.statements.filter((s) => /savepoint/.test(s.note ?? '')).map((s) => s.command),
        ['BEGIN', 'ROLLBACK'],
      );
      assert.strictEqual(report.program?.command.split(' ')[0], framework);
      assert.match(report.program?.command ?? '', new RegExp(`: ${path.basename(laterFile).replace('.', '\\.')}$`));
    });
  }

  it('runs a correct TypeORM migration (inserts, then QueryRunner.addColumn with the SQL TypeORM generates) on a real database: ok, each statement at the line that sent it, no migrations row, database unchanged', async () => {
    const file = 'migrations/1700000000001-SeedFamilies.ts';
    const { report } = await dryRunOnTestDatabase(PARENTS_AND_CHILDREN, { [file]: TYPEORM_PARENTS_FIRST }, file);
    assert.strictEqual(report.outcome, 'ok', shown(report));
    assert.deepStrictEqual(skippedStatements(report), []);
    assert.deepStrictEqual(
      report.statements.filter((s) => s.command === 'INSERT').map((s) => [s.line, s.rowCount]),
      [
        [lineOf(TYPEORM_PARENTS_FIRST, 'INSERT INTO "parents"'), 1],
        [lineOf(TYPEORM_PARENTS_FIRST, 'INSERT INTO "children"'), 1],
      ],
    );
    const alter = report.statements.filter((s) => s.command === 'ALTER');
    assert.deepStrictEqual(
      alter.map((s) => [s.sql, s.line]),
      [['ALTER TABLE "children" ADD "nickname" text', lineOf(TYPEORM_PARENTS_FIRST, 'addColumn')]],
      shown(report),
    );
    // Every statement TypeORM sent for a line of up(), its reads of the catalog for addColumn too, is at that line.
    const upLines = ['INSERT INTO "parents"', 'INSERT INTO "children"', 'addColumn'].map((text) =>
      lineOf(TYPEORM_PARENTS_FIRST, text),
    );
    const sent = report.statements.filter((s) => !/savepoint/.test(s.note ?? '') && s.line > 0);
    assert.ok(
      sent.every((s) => upLines.includes(s.line)),
      shown(report),
    );
    assert.deepStrictEqual(migrationRecords(report), []);
  });

  it('runs a JavaScript TypeORM migration as typeorm migration:generate --outputJs writes it (module.exports = class): 23503 at the query line, database unchanged', async () => {
    const database = await freshDatabase('typeorm_js');
    await setUp(database, PARENTS_AND_CHILDREN);
    const migration = `const { MigrationInterface, QueryRunner } = require('typeorm');

module.exports = class SeedFamilies1700000000001 {
  name = 'SeedFamilies1700000000001';

  async up(queryRunner) {
    await queryRunner.query(\`INSERT INTO "children" ("id", "parent_id") VALUES (1, 1)\`);
  }

  async down(queryRunner) {
    await queryRunner.query(\`DELETE FROM "children"\`);
  }
};
`;
    const file = 'migrations/1700000000001-SeedFamilies.js';
    const dir = frameworkProject({ [file]: migration });
    const report = await unchangedDatabase(database, () =>
      dryRunInProject(dir, file, cacheDir, { databaseUrl: connectionUrl(database) }),
    );
    assert.match(report.program?.command ?? '', /^typeorm 0\.3\.\d+: /);
    assert.deepStrictEqual(
      failures(report).map((s) => [s.error?.code, s.line]),
      [['23503', lineOf(migration, 'INSERT INTO "children"')]],
      `${shown(report)} ${report.program?.stderr}`,
    );
  });

  for (const [switched, outOfTransaction] of [
    ['transaction = false', '  public transaction = false;\n'],
    ['no switch', ''],
  ] as const) {
    it(`runs a TypeORM migration with a CONCURRENTLY index ${switched === 'transaction = false' ? 'outside a transaction (transaction = false): ok, the index not sent, the lint silent' : 'in its transaction (no transaction = false): 25001 at the line, as the lint says'}`, async () => {
      const file = 'migrations/1700000000002-AddOrderStatusIndex.ts';
      const migration = typeormStatusIndex(outOfTransaction);
      const { dir, report } = await dryRunOnTestDatabase(ORDERS, { [file]: migration }, file);
      assert.match(report.program?.command ?? '', /^typeorm 0\.3\.\d+: /);
      const index = report.statements.find((s) => /create index/i.test(s.sql))!;
      assert.strictEqual(index?.line, lineOf(migration, 'CONCURRENTLY'), shown(report));
      const linted = lintedRules(dir, file).includes('ban-concurrent-index-creation-in-transaction');
      if (switched === 'transaction = false') {
        assert.strictEqual(report.outcome, 'ok', shown(report));
        assert.strictEqual(index.status, 'skipped');
        assert.match(index.reason ?? '', /production runs it outside a transaction/);
        assert.ok(!linted);
      } else {
        assert.deepStrictEqual(
          failures(report).map((s) => [s.error?.code, s.line]),
          [['25001', lineOf(migration, 'CONCURRENTLY')]],
        );
        assert.ok(linted);
      }
    });
  }

  it('runs a correct MikroORM migration on a real database: ok, each addSql statement at its line, no mikro_orm_migrations row, database unchanged', async () => {
    const seed = mikroSeed('parents first');
    const file = 'migrations/Migration20240102000000.ts';
    const { report } = await dryRunOnTestDatabase(PARENTS_AND_CHILDREN, { [file]: seed }, file);
    assert.strictEqual(report.outcome, 'ok', shown(report));
    assert.match(report.program?.command ?? '', /^mikro-orm 6\.\d+\.\d+: Migration20240102000000\.ts$/);
    assert.deepStrictEqual(skippedStatements(report), []);
    assert.deepStrictEqual(
      report.statements.filter((s) => s.command === 'INSERT').map((s) => [s.line, s.rowCount]),
      [
        [lineOf(seed, 'insert into "parents"'), 1],
        [lineOf(seed, 'insert into "children"'), 1],
      ],
    );
    assert.deepStrictEqual(migrationRecords(report), []);
  });

  it('runs a MikroORM migration whose isTransactional() returns false outside a transaction: its CONCURRENTLY index is not sent, ok, and the lint is silent', async () => {
    const file = 'migrations/Migration20240103000000.ts';
    const { dir, report } = await dryRunOnTestDatabase(
      ORDERS,
      { [file]: MIKRO_STATUS_INDEX_OUTSIDE_TRANSACTION },
      file,
    );
    assert.strictEqual(report.outcome, 'ok', shown(report));
    const index = report.statements.find((s) => /create index/i.test(s.sql))!;
    assert.deepStrictEqual(
      [index?.status, index?.line],
      ['skipped', lineOf(MIKRO_STATUS_INDEX_OUTSIDE_TRANSACTION, 'create index concurrently')],
      shown(report),
    );
    assert.match(index.reason ?? '', /production runs it outside a transaction/);
    assert.deepStrictEqual(
      report.statements.filter((s) => /savepoint/.test(s.note ?? '')),
      [],
      'no transaction around the migration',
    );
    assert.ok(!lintedRules(dir, file).includes('ban-concurrent-index-creation-in-transaction'));
  });

  it('replays an earlier TypeORM or MikroORM migration into the embedded template in the transaction the lint assumes: one whose CONCURRENTLY index fails there is not replayed, with its SQLSTATE 25001', async () => {
    for (const [framework, migrations] of [
      [
        'typeorm',
        {
          'migrations/1700000000001-CreateOrders.ts': typeormCreateOrders,
          'migrations/1700000000002-AddOrderStatusIndex.ts': typeormStatusIndex(''),
        },
      ],
      [
        'mikro-orm',
        {
          'migrations/Migration20240101000000.ts': mikroCreateOrders,
          'migrations/Migration20240103000000.ts': mikroStatusIndex(''),
        },
      ],
    ] as const) {
      const later =
        framework === 'typeorm' ? 'migrations/1700000000003-Later.ts' : 'migrations/Migration20240104000000.ts';
      const dir = frameworkProject({ ...migrations, [later]: framework === 'typeorm' ? typeormLater : mikroLater });
      const report = await dryRunInProject(dir, later, cacheDir);
      const [created, indexed] = Object.keys(migrations).map((file) => file.replace('migrations/', ''));
      assert.deepStrictEqual(report.database.replayed, [created], framework);
      assert.deepStrictEqual(
        report.database.notReplayed.map((skip) => skip.file),
        [indexed],
      );
      assert.match(
        report.database.notReplayed[0].reason,
        new RegExp(`^failed through ${framework} \\S+: .*\\(SQLSTATE 25001\\)$`),
      );
      // Rolled back with its transaction: the column added before the index is not there.
      assert.deepStrictEqual(
        failures(report).map((s) => s.error?.code),
        ['42703'],
        shown(report),
      );
    }
  });

  for (const [framework, file, migration] of [
    ['typeorm', 'migrations/1700000000001-SeedFamilies.ts', TYPEORM_CHILDREN_FIRST],
    ['mikro-orm', 'migrations/Migration20240102000000.ts', mikroSeed('children first')],
  ] as const) {
    it(`falls back to the static dry-run where ${framework} is not installed, and says so in one line`, async () => {
      const { report } = await dryRunOnTestDatabase(PARENTS_AND_CHILDREN, { [file]: migration }, file, {
        installed: false,
      });
      assert.strictEqual(report.program, undefined);
      assert.deepStrictEqual(report.notes?.length, 1, JSON.stringify(report.notes));
      assert.match(report.notes![0], new RegExp(`^${framework} is not installed .*: dry-run sent the SQL it can see`));
    });
  }
});

describe('language server: a TypeORM or MikroORM migration runs through its framework only once the user agreed', function () {
  this.timeout(120_000);
  let root: string;
  let client: LspTestClient;
  let database: ClusterConnection;
  let connection: EditorConnection;
  const typeormRename = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class RenamePlans1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`UPDATE "plans" SET "name" = upper("name") WHERE "id" <= $1\`, [3]);
  }

  public async down(): Promise<void> {}
}
`;
  const mikroRename = `import { Migration } from '@mikro-orm/migrations';

export class Migration20240101000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('update "plans" set "name" = upper("name") where "id" <= 3;');
  }
}
`;

  before(async () => {
    ({ database, connection } = await plansDatabase('lsp_orm'));
    root = workspaceWith({
      'typeorm/1700000000000-RenamePlans.ts': typeormRename,
      'mikro/Migration20240101000000.ts': mikroRename,
    });
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    client = await LspTestClient.start(root);
  });

  after(async () => {
    await client?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('asks before a TypeORM or MikroORM migration runs through its framework, then runs it there: 3 rows updated at the line that sent them, database unchanged', async () => {
    for (const [file, migration] of [
      ['typeorm/1700000000000-RenamePlans.ts', typeormRename],
      ['mikro/Migration20240101000000.ts', mikroRename],
    ] as const) {
      const uri = pathToFileURL(path.join(root, file)).href;
      const dryRun = (args: object) =>
        client.connection.sendRequest(ExecuteCommandRequest.type, {
          command: 'preflight.server.dryRun',
          arguments: [{ uri, connection, ...args }],
        }) as Promise<DryRunReport>;
      await assert.rejects(dryRun({}), (error: ResponseError<{ runsCode?: boolean }>) => {
        assert.strictEqual(error.data?.runsCode, true, file);
        return true;
      });
      const report = await unchangedDatabase(database, () => dryRun({ runCode: true }));
      assert.match(report.program?.command ?? '', /^(typeorm|mikro-orm) \d/, file);
      assert.deepStrictEqual(
        report.statements.filter((s) => s.command === 'UPDATE').map((s) => [s.rowCount, s.line]),
        [[3, lineOf(migration, 'upper("name")')]],
        file,
      );
    }
  });
});
