import * as assert from 'assert/strict';
import { ConfigCache } from '../server/src/config';
import { initEngine, lintText } from '../server/src/lint/engine';
import { MigrationFile, parseMigration } from '../server/src/parse/migration';

/** ORM schema calls become, at extraction, the SQL their framework sends (server/src/parse/orm/). */

/** Each statement of the file as `text @ the file text it stands for`. */
function statements(file: MigrationFile): string[] {
  return file.statements.map((s) => `${s.text} @ ${file.text.slice(s.fileSpan.start, s.fileSpan.end)}`);
}

const configs = new ConfigCache();

describe('ORM schema calls as the SQL their framework sends', () => {
  before(() => initEngine());

  it('knex: alterTable chains become the statements knex writes for PostgreSQL, each with its chain as its span', () => {
    const file = parseMigration(
      'migrations/20240101_orders.js',
      `exports.up = (knex) => knex.schema.alterTable('orders', (t) => {
  t.string('status').notNullable().defaultTo('open');
  t.index(['status']);
  t.dropColumn('legacy');
});
exports.down = () => {};
`,
    );
    assert.deepEqual(statements(file), [
      `alter table "orders" add column "status" varchar(255) not null default 'open' @ string('status').notNullable().defaultTo('open')`,
      `create index "orders_status_index" on "orders" ("status") @ index(['status'])`,
      `alter table "orders" drop column "legacy" @ dropColumn('legacy')`,
    ]);
    assert.deepEqual(file.host?.opaqueQueries, []);
  });

  it('knex: createTable keeps serial, the unique constraint and the foreign key knex names, under withSchema', () => {
    const file = parseMigration(
      'migrations/20240101_users.ts',
      `export async function up(knex: Knex) {
  await knex.schema.withSchema('app').createTable('users', (table) => {
    table.increments();
    table.string('email', 100).unique();
    table.integer('org_id').references('orgs.id').onDelete('CASCADE');
  });
}
`,
    );
    assert.deepEqual(
      file.statements.map((s) => s.text),
      [
        'create table "app"."users" ("id" serial primary key, "email" varchar(100), "org_id" integer)',
        'alter table "app"."users" add constraint "users_email_unique" unique ("email")',
        'alter table "app"."users" add constraint "users_org_id_foreign" foreign key ("org_id") references "orgs" ("id") on delete CASCADE',
      ],
    );
  });

  it("Sequelize: QueryInterface calls become the SQL Sequelize's postgres dialect sends, DataTypes read from the file", () => {
    const file = parseMigration(
      'migrations/20240101-orders.js',
      `module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.sequelize.transaction(async (transaction) => {
      await queryInterface.addColumn('orders', 'total', { type: Sequelize.INTEGER, allowNull: false }, { transaction });
      await queryInterface.addIndex('orders', ['total'], { concurrently: true, transaction });
      await queryInterface.changeColumn('orders', 'note', { type: Sequelize.STRING(100) });
    });
  },
};
`,
    );
    assert.deepEqual(
      file.statements.map((s) => s.text),
      [
        'ALTER TABLE "public"."orders" ADD COLUMN "total" INTEGER NOT NULL',
        'CREATE INDEX CONCURRENTLY "orders_total" ON "orders" ("total")',
        'ALTER TABLE "orders" ALTER COLUMN "note" DROP NOT NULL',
        'ALTER TABLE "orders" ALTER COLUMN "note" DROP DEFAULT',
        'ALTER TABLE "orders" ALTER COLUMN "note" TYPE VARCHAR(100)',
      ],
    );
  });

  it('Sequelize: createTable creates the ENUM type first (in a DO block, as the postgres dialect does), then the table', () => {
    const file = parseMigration(
      'migrations/20240101-tickets.js',
      `module.exports = {
  async up(queryInterface, DataTypes) {
    await queryInterface.createTable('tickets', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      state: { type: DataTypes.ENUM('open', 'closed'), defaultValue: 'open' },
    });
  },
};
`,
    );
    assert.deepEqual(
      file.operations.map((o) => o.statement?.type),
      ['DoStmt', 'CreateEnumStmt', 'CreateStmt'],
    );
  });

  it('a call with an argument computed at run time is not analysed: no statement is guessed for it', () => {
    const text = `const columns = process.env.INDEX_COLUMNS.split(',');
module.exports = {
  async up(queryInterface) {
    await queryInterface.addIndex('orders', columns);
  },
};
`;
    const file = parseMigration('migrations/20240101-index.js', text);
    assert.deepEqual(file.statements, []);
    const call = text.indexOf('queryInterface.addIndex');
    assert.deepEqual(file.host?.opaqueQueries, [{ start: call, end: text.indexOf(';', call) }]);
    const [finding] = lintText('migrations/20240101-index.js', text, {
      config: configs.configFor('migrations/20240101-index.js'),
    }).diagnostics.filter((d) => d.rule === 'sql-not-analysed');
    assert.ok(finding, 'sql-not-analysed reports the call');
  });

  it("a helper's computed table and column stand in the SQL as written, a statement whose names are unknown", () => {
    const text = `import { QueryRunner } from 'typeorm';
async function dropDateColumn(queryRunner: QueryRunner, tableName: string, columnName: string) {
  await queryRunner.dropColumn(tableName, columnName);
}
export class DropDates1700000000000 {
  async up(queryRunner: QueryRunner) {
    await dropDateColumn(queryRunner, 'patient', 'date_of_death');
  }
}
`;
    const file = parseMigration('migrations/1700000000000-DropDates.ts', text);
    assert.deepEqual(statements(file), [
      'ALTER TABLE "public"."${tableName}" DROP COLUMN "${columnName}" @ queryRunner.dropColumn(tableName, columnName)',
    ]);
    assert.deepEqual(file.statements[0].fragment.computedNames, ['tableName', 'columnName']);
    assert.deepEqual(file.host?.opaqueQueries, []);
  });

  it('an imported constant the lint cannot read is some constant value: a default, never none', () => {
    const file = parseMigration(
      'migrations/20240101-visibility.js',
      `const { VISIBILITY_STATUSES } = require('@tamanu/constants');
module.exports = {
  async up(query, Sequelize) {
    await query.addColumn('patients', 'visibility_status', {
      type: Sequelize.TEXT, allowNull: false, defaultValue: VISIBILITY_STATUSES.CURRENT,
    });
  },
};
`,
    );
    assert.deepEqual(
      file.statements.map((s) => s.text),
      [
        `ALTER TABLE "public"."patients" ADD COLUMN "visibility_status" TEXT NOT NULL DEFAULT '\${VISIBILITY_STATUSES.CURRENT}'`,
      ],
    );
    assert.deepEqual(file.statements[0].fragment.computedNames, []);
    // A hole: the dry-run does not run the statement with the placeholder as its value.
    assert.equal(file.statements[0].fragment.holes.length, 1);
  });

  it("a spread of the file's shared columns and a template of its consts are read as written", () => {
    const file = parseMigration(
      'migrations/20240101-price-lists.ts',
      `import { DataTypes, QueryInterface } from 'sequelize';
const ITEMS = 'invoice_price_list_items';
const baseFields = { id: { type: DataTypes.UUID, primaryKey: true } };
export async function up(query: QueryInterface) {
  await query.createTable(ITEMS, { ...baseFields, price: { type: DataTypes.DECIMAL } });
  await query.addIndex(ITEMS, ['price'], { name: \`idx_\${ITEMS}_price\` });
}
`,
    );
    assert.deepEqual(
      file.statements.map((s) => s.text),
      [
        'CREATE TABLE IF NOT EXISTS "invoice_price_list_items" ("id" UUID , "price" DECIMAL, PRIMARY KEY ("id"))',
        'CREATE INDEX "idx_invoice_price_list_items_price" ON "invoice_price_list_items" ("price")',
      ],
    );
  });

  it("a computed type is a type's name: Sequelize's column of Tamanu's own DataTypes.DATETIMESTRING", () => {
    const file = parseMigration(
      'migrations/20240101-dates.js',
      `module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addColumn('patients', 'date_of_death', { type: Sequelize.DATETIMESTRING });
  },
};
`,
    );
    assert.deepEqual(
      file.statements.map((s) => s.text),
      ['ALTER TABLE "public"."patients" ADD COLUMN "date_of_death" "${Sequelize.DATETIMESTRING}"'],
    );
    assert.deepEqual(file.statements[0].fragment.computedNames, ['Sequelize.DATETIMESTRING']);
  });

  it('an argument that shapes the SQL beyond a name or a value leaves the call not analysed', () => {
    const file = parseMigration(
      'migrations/20240101_merged.js',
      `exports.up = (knex) => knex.schema.alterTable('patients', (t) => {
  t.specificType('merged_into', COLUMN_TYPE);
});
`,
    );
    assert.deepEqual(file.statements, []);
    const [call] = file.host?.calls ?? [];
    assert.equal(call.kind === 'ddl' && call.notAnalysed, 'alterTable(): `COLUMN_TYPE` is computed at run time');
  });

  it('a knex table callback that does more than call the builder is not analysed', () => {
    const file = parseMigration(
      'migrations/20240101_flags.js',
      `exports.up = (knex) => knex.schema.alterTable('flags', (t) => {
  for (const name of ['a', 'b']) t.boolean(name);
});
`,
    );
    assert.deepEqual(file.statements, []);
    assert.equal(file.host?.opaqueQueries.length, 1);
  });

  it("offers no fix on an ORM call's SQL, which is not text of the file", () => {
    const text = `exports.config = { transaction: false };
exports.up = (knex) => knex.schema.alterTable('orders', (t) => {
  t.index(['customer_id']);
});
`;
    const diagnostics = lintText('migrations/20240101_index.js', text, {
      config: configs.configFor('migrations/20240101_index.js'),
    }).diagnostics.filter((d) => d.rule === 'require-concurrent-index-creation');
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].fix, undefined);
    assert.match(diagnostics[0].help ?? '', /^Create the index with raw SQL/);
  });

  it("never runs the file's code or reaches Function through a framework's values: such a call is not analysed", () => {
    const text = `const name = () => require('child_process').execSync('touch /tmp/preflight-orm-pwned');
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addColumn('a', 'b', { type: Sequelize.STRING.constructor.constructor('process.exit(42)')() });
    await queryInterface.addColumn('a', name(), Sequelize.TEXT);
    await queryInterface.addColumn('a', 'c', { type: Sequelize.useCLS({}) });
  },
};
`;
    const file = parseMigration('migrations/20240101-planted.js', text);
    assert.deepEqual(file.statements, []);
    assert.equal(file.host?.opaqueQueries.length, 3);
  });
});
