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
