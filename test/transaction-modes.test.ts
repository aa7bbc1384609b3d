import * as assert from 'assert';
import { parseMigration } from '../server/src/parse/migration';
import { loadSqlParser } from '../server/src/parse/sql';

/** The transactions a TS/JS migration runs, as the texts of each block's operations. */
function blocks(text: string, file = 'migrations/20240101120000-add-note.js'): string[][] {
  const migration = parseMigration(file, text);
  return migration.transactions.map((block) =>
    block.operations.map((o) => text.slice(o.fileSpan.start, o.fileSpan.end).split('(')[0]),
  );
}

describe('transactions of TS/JS migrations', () => {
  before(() => loadSqlParser());

  it('wraps a Sequelize migration in one transaction by default, and runs each call on its own with the none directive', () => {
    const text = [
      'module.exports = {',
      '  async up(queryInterface) {',
      "    await queryInterface.addColumn('plans', 'note', { type: 'TEXT' });",
      "    await queryInterface.bulkUpdate('plans', { note: '' }, {});",
      '  },',
      '};',
    ].join('\n');
    assert.deepStrictEqual(blocks(text), [['queryInterface.addColumn', 'queryInterface.bulkUpdate']]);
    // Plain sequelize-cli opens no transaction (sequelize/cli#1364).
    assert.deepStrictEqual(blocks(`// preflight-transaction: none\n${text}`), [
      ['queryInterface.addColumn'],
      ['queryInterface.bulkUpdate'],
    ]);
  });

  it('groups the calls of a sequelize.transaction callback', () => {
    const text = [
      'module.exports = {',
      '  async up(queryInterface) {',
      '    await queryInterface.sequelize.transaction(async (transaction) => {',
      "      await queryInterface.addColumn('plans', 'note', { type: 'TEXT' }, { transaction });",
      "      await queryInterface.bulkUpdate('plans', { note: '' }, {}, { transaction });",
      '    });',
      '  },',
      '};',
    ].join('\n');
    assert.deepStrictEqual(blocks(text), [['queryInterface.addColumn', 'queryInterface.bulkUpdate']]);
  });

  it('runs the statements of one multi-statement query as one transaction', () => {
    const text = [
      '// preflight-transaction: none',
      'module.exports = {',
      '  async up(queryInterface) {',
      "    await queryInterface.sequelize.query('ALTER TABLE plans ADD COLUMN note text; UPDATE plans SET note = 1');",
      "    await queryInterface.sequelize.query('UPDATE plans SET note = 2');",
      '  },',
      '};',
    ].join('\n');
    assert.deepStrictEqual(blocks(text), [
      ['ALTER TABLE plans ADD COLUMN note text', 'UPDATE plans SET note = 1'],
      ['UPDATE plans SET note = 2'],
    ]);
  });

  it('keeps knex migrations in one transaction, as knex wraps each migration', () => {
    const text = [
      'exports.up = async (knex) => {',
      "  await knex.schema.alterTable('plans', (t) => t.text('note'));",
      "  await knex('plans').update({ note: '' });",
      '};',
    ].join('\n');
    assert.strictEqual(blocks(text, 'migrations/20240101120000_add_note.js').length, 1);
  });

  it('wraps a migration of an unknown runner (up/down, no known framework) in one transaction, as logto does', () => {
    const text = [
      "import { sql } from 'slonik';",
      'const alteration = {',
      '  up: async (pool) => {',
      '    await pool.query(sql`alter table users add column logto_config jsonb`);',
      "    await pool.query(sql`update users set logto_config = '{}'`);",
      '  },',
      '  down: async (pool) => {',
      '    await pool.query(sql`alter table users drop column logto_config`);',
      '  },',
      '};',
      'export default alteration;',
    ].join('\n');
    assert.deepStrictEqual(
      blocks(text, 'alterations/1.10.1-1698910485-user-logto-data.ts').map((block) => block.length),
      [2, 1],
    );
  });

  it('runs each query of a plain script on its own', () => {
    const text =
      "const { Client } = require('pg');\nconst client = new Client();\nasync function main() {\n  await client.query('UPDATE a SET x = 1');\n  await client.query('UPDATE b SET x = 1');\n}\nmain();";
    assert.strictEqual(blocks(text, 'scripts/fix.js').length, 2);
  });
});
