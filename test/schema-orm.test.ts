import * as assert from 'assert';
import { initEngine } from '../server/src/lint/engine';
import type { Catalog, TableInfo } from '../server/src/schema/catalog';
import { replay } from './support/schema';

function table(catalog: Catalog, name: string): TableInfo {
  const found = catalog.tables.get(name);
  assert.ok(found, `no table ${name} (have ${[...catalog.tables.keys()].join(', ')})`);
  return found;
}

/** `name(col, col) unique` for each index: what a rule needs to know about them. */
function indexes(t: TableInfo): string[] {
  return t.indexes.map(
    (i) =>
      `${i.name}(${i.keys.map((k) => ('column' in k ? k.column : k.expression)).join(', ')})${i.unique ? ' unique' : ''}${i.predicate ? ` WHERE ${i.predicate}` : ''}`,
  );
}

function columns(t: TableInfo): string[] {
  return t.columns.map(
    (c) => `${c.name} ${c.type}${c.nullable ? '' : ' not null'}${c.default ? ` default ${c.default}` : ''}`,
  );
}

describe('schema replay of ORM schema calls', () => {
  before(() => initEngine());

  it('Sequelize: createTable attributes, addIndex and addConstraint with the names Sequelize generates', () => {
    const { catalog, skipped } = replay([
      '20240101-init.js',
      `module.exports = {
        async up(queryInterface, Sequelize) {
          await queryInterface.createTable('Users', {
            id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true },
            email: { type: Sequelize.STRING, allowNull: false, unique: true },
            orgId: { type: Sequelize.UUID, references: { model: { tableName: 'orgs', schema: 'app' }, key: 'id',
                     deferrable: Sequelize.Deferrable.INITIALLY_DEFERRED } },
            role: { type: Sequelize.ENUM('admin', 'user'), defaultValue: 'user' },
            tags: Sequelize.ARRAY(Sequelize.TEXT),
            createdAt: { type: Sequelize.DATE, defaultValue: Sequelize.fn('now') },
          });
          await queryInterface.addIndex('Users', ['orgId', 'createdAt'], { where: { deletedAt: null } });
          await queryInterface.addIndex('Users', { fields: [{ name: 'email', order: 'DESC' }], unique: true, name: 'users_email_desc' });
          await queryInterface.addConstraint('Users', { fields: ['role', 'email'], type: 'unique' });
          await queryInterface.renameColumn('Users', 'tags', 'labels');
        },
        async down(queryInterface) { await queryInterface.dropTable('Users'); },
      };`,
    ]);
    assert.deepStrictEqual(skipped, []);
    const users = table(catalog, 'public.Users');
    assert.deepStrictEqual(
      columns(users),
      [
        'id integer not null default nextval(\'"Users_id_seq"\')',
        'email character varying(255) not null',
        'orgId uuid',
        "role enum_Users_role default 'user'",
        'labels text[]',
        'createdAt timestamp with time zone default now()',
      ].map((line) => line.replace('enum_Users_role', '"enum_Users_role"')),
    );
    assert.deepStrictEqual(indexes(users), [
      'Users_email_key(email) unique',
      'Users_pkey(id) unique',
      'users_org_id_created_at(orgId, createdAt) WHERE "deletedAt" IS NULL',
      'users_email_desc(email) unique',
      'Users_role_email_uk(role, email) unique',
    ]);
    const fk = users.constraints.find((c) => c.type === 'foreign-key');
    assert.deepStrictEqual([fk?.references, fk?.initiallyDeferred], [{ table: 'app.orgs', columns: ['id'] }, true]);
  });

  it('creates and changes nothing from a call whose names are computed at run time, says why it skipped it, and marks a table it names uncertain', () => {
    const { catalog, skipped } = replay(
      [
        '20240101-init.js',
        `module.exports = {
          async up(queryInterface, Sequelize) {
            await queryInterface.createTable('patients', { id: { type: Sequelize.UUID, primaryKey: true } });
          },
        };`,
      ],
      [
        '20240102-helper.js',
        `const { TABLE_NAME } = require('@tamanu/constants');
        async function addFlag(queryInterface, Sequelize, columnName) {
          await queryInterface.addColumn('patients', columnName, { type: Sequelize.BOOLEAN });
        }
        module.exports = {
          async up(queryInterface, Sequelize) {
            await queryInterface.createTable(TABLE_NAME, { id: { type: Sequelize.UUID, primaryKey: true } });
            await addFlag(queryInterface, Sequelize, 'is_flagged');
          },
        };`,
      ],
    );
    assert.deepStrictEqual([...catalog.tables.keys()], ['public.patients']);
    assert.deepStrictEqual(columns(table(catalog, 'public.patients')), ['id uuid not null']);
    // It gained a column of a name not known: what rules say of its columns is no longer certain.
    assert.strictEqual(table(catalog, 'public.patients').uncertain, '`columnName` computed at run time');
    assert.deepStrictEqual(
      skipped.map((s) => s.reason),
      ['`TABLE_NAME` computed at run time', '`columnName` computed at run time'],
    );
  });

  it('knex: columns and modifiers from the table builder, and the indexes knex names after table and columns', () => {
    const { catalog, skipped } = replay(
      [
        '20240101_create.ts',
        `import { Knex } from 'knex';
        export async function up(knex: Knex): Promise<void> {
          await knex.schema.createTable('invoices', (table) => {
            table.increments('id');
            table.bigInteger('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE').deferrable('deferred');
            table.string('number', 32).notNullable().unique();
            table.decimal('total', 12, 2).defaultTo(0);
            table.enu('state', ['draft', 'sent']).notNullable().defaultTo('draft');
            table.timestamps(true, true);
            table.index(['customer_id', 'created_at']);
          });
        }
        export async function down(knex: Knex): Promise<void> { await knex.schema.dropTable('invoices'); }`,
      ],
      [
        '20240102_alter.js',
        `exports.up = function (knex) {
          return knex.schema.alterTable('invoices', function (t) {
            t.string('note').index('invoices_note_idx');
            t.dropIndex(['customer_id', 'created_at']);
            t.renameColumn('number', 'invoice_number');
          });
        };
        exports.down = function () {};`,
      ],
    );
    assert.deepStrictEqual(skipped, []);
    const invoices = table(catalog, 'public.invoices');
    assert.deepStrictEqual(columns(invoices), [
      "id integer not null default nextval('invoices_id_seq')",
      'customer_id bigint not null',
      'invoice_number character varying(32) not null',
      // knex quotes a number it is given as a default.
      "total numeric(12,2) default '0'",
      "state text not null default 'draft'",
      'created_at timestamp with time zone not null default CURRENT_TIMESTAMP',
      'updated_at timestamp with time zone not null default CURRENT_TIMESTAMP',
      'note character varying(255)',
    ]);
    assert.deepStrictEqual(indexes(invoices), [
      'invoices_pkey(id) unique',
      'invoices_number_unique(invoice_number) unique',
      'invoices_note_idx(note)',
    ]);
    assert.deepStrictEqual(invoices.constraints.map((c) => [c.name, c.type, c.initiallyDeferred]).sort(), [
      ['invoices_customer_id_foreign', 'foreign-key', true],
      ['invoices_number_unique', 'unique', false],
      ['invoices_pkey', 'primary-key', false],
      ['invoices_state_check', 'check', false],
    ]);
  });

  it('TypeORM: the QueryRunner table API, with the hashed names of its default naming strategy', () => {
    const { catalog, skipped } = replay([
      '1700000000000-CreatePayments.ts',
      `import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
      export class CreatePayments1700000000000 implements MigrationInterface {
        public async up(queryRunner: QueryRunner): Promise<void> {
          await queryRunner.createTable(new Table({
            name: 'payments',
            columns: [
              { name: 'id', type: 'int', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
              { name: 'account_id', type: 'uuid' },
              { name: 'status', type: 'varchar', length: '16', default: "'new'" },
              { name: 'note', type: 'text', isNullable: true },
            ],
          }), true);
          await queryRunner.createIndex('payments', new TableIndex({ columnNames: ['account_id', 'status'] }));
          await queryRunner.createIndex('payments', new TableIndex({ name: 'payments_open', columnNames: ['status'], where: "status <> 'done'" }));
        }
        public async down(queryRunner: QueryRunner): Promise<void> {
          await queryRunner.dropTable('payments');
        }
      }`,
    ]);
    assert.deepStrictEqual(skipped, []);
    const payments = table(catalog, 'public.payments');
    assert.deepStrictEqual(columns(payments), [
      "id integer not null default nextval('payments_id_seq')",
      'account_id uuid not null',
      "status character varying(16) not null default 'new'",
      'note text',
    ]);
    assert.deepStrictEqual(indexes(payments), [
      'PK_197ab7af18c93fbb0c9b28b4a59(id) unique',
      'IDX_ab0fd49278bbd5028b64e9e78d(account_id, status)',
      "payments_open(status) WHERE status <> 'done'",
    ]);
  });

  it('node-pg-migrate: createTable columns and createIndex with its generated names', () => {
    const { catalog, skipped } = replay([
      '1700000000000_sessions.js',
      `exports.up = (pgm) => {
        pgm.createTable('sessions', {
          id: 'id',
          user_id: { type: 'integer', notNull: true, references: '"users"', onDelete: 'cascade' },
          token: { type: 'varchar(64)', notNull: true, unique: true },
          created_at: { type: 'timestamptz', notNull: true, default: pgm.func('current_timestamp') },
        });
        pgm.createIndex('sessions', ['user_id', 'created_at']);
        pgm.createIndex('sessions', 'token', { unique: true, where: 'created_at IS NOT NULL' });
        pgm.createTrigger('sessions', 'sessions_audit', { when: 'AFTER', operation: ['INSERT', 'UPDATE'], level: 'ROW',
          function: 'audit', constraint: true, deferrable: true, deferred: true });
      };
      exports.down = (pgm) => pgm.dropTable('sessions');`,
    ]);
    assert.deepStrictEqual(skipped, []);
    const sessions = table(catalog, 'public.sessions');
    assert.deepStrictEqual(indexes(sessions), [
      'sessions_pkey(id) unique',
      'sessions_token_key(token) unique',
      'sessions_user_id_created_at_index(user_id, created_at)',
      'sessions_token_unique_index(token) unique WHERE created_at IS NOT NULL',
    ]);
    assert.deepStrictEqual(
      columns(sessions)[3],
      'created_at timestamp with time zone not null default CURRENT_TIMESTAMP',
    );
    assert.deepStrictEqual(
      sessions.triggers.map((t) => [t.name, t.constraint, t.initiallyDeferred, t.events]),
      [['sessions_audit', true, true, ['insert', 'update']]],
    );
  });

  it('skips a call whose arguments are computed at run time, and marks its table uncertain', () => {
    const { catalog, skipped } = replay([
      '20240101-indexes.js',
      `const fields = process.env.FIELDS.split(',');
      module.exports = {
        async up(queryInterface, Sequelize) {
          await queryInterface.createTable('events', { id: { type: Sequelize.INTEGER, primaryKey: true }, kind: Sequelize.STRING });
          await queryInterface.addIndex('events', fields);
        },
        async down() {},
      };`,
    ]);
    assert.deepStrictEqual(
      skipped.map((s) => [s.line, s.reason]),
      [[5, 'addIndex(): `fields` is computed at run time']],
    );
    assert.strictEqual(table(catalog, 'public.events').uncertain, 'addIndex(): `fields` is computed at run time');
  });
});
