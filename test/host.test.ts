import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { extractHost } from '../server/src/parse/host';
import { HostCall, HostExtraction, SchemaCall, SqlCall, TransactionCall } from '../server/src/parse/host-types';
import { Statement, loadSqlParser, parseFragment } from '../server/src/parse/sql';
import { Span } from '../server/src/parse/text';

const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures', 'host');

function fixture(name: string): { path: string; text: string } {
  const file = path.join(FIXTURES, name);
  return { path: file, text: fs.readFileSync(file, 'utf8') };
}

/** The span of the `nth` occurrence of `needle` in `text`. */
function spanOf(text: string, needle: string, nth = 0): Span {
  let start = -1;
  for (let k = 0; k <= nth; k++) {
    start = text.indexOf(needle, start + 1);
    assert.ok(start >= 0, `${JSON.stringify(needle)} not found`);
  }
  return { start, end: start + needle.length };
}

function sqlCalls(host: HostExtraction): SqlCall[] {
  return host.calls.filter((call): call is SqlCall => call.kind === 'sql');
}

function schemaCalls(host: HostExtraction): SchemaCall[] {
  return host.calls.filter((call): call is SchemaCall => call.kind === 'ddl' || call.kind === 'dml');
}

/** `kind method table` for each schema call, as a compact expectation. */
function describeSchemaCalls(host: HostExtraction): string[] {
  return schemaCalls(host).map((call) =>
    [call.kind, call.method, call.table ?? '-', call.createsTable ? 'creates' : '', call.dmlAction ?? '']
      .filter(Boolean)
      .join(' '),
  );
}

function statementsOf(call: SqlCall): Statement[] {
  return parseFragment(call.fragment).statements;
}

function textOf(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}

describe('extractHost', () => {
  before(() => loadSqlParser());

  describe('SQL calls', () => {
    it('maps a statement in a string literal to its exact file offsets after a non-ASCII comment', () => {
      const text = [
        'module.exports = {',
        '  async up(queryInterface) {',
        '    // Ünïcödé 🚀 — offsets count UTF-16 code units',
        "    await queryInterface.sequelize.query('UPDATE users SET plan = 1; DELETE FROM plans WHERE id = 2');",
        '  },',
        '};',
      ].join('\n');
      const host = extractHost('m.js', text);
      const [call] = sqlCalls(host);
      assert.equal(call.method, 'query');
      assert.equal(
        textOf(text, call.span),
        "queryInterface.sequelize.query('UPDATE users SET plan = 1; DELETE FROM plans WHERE id = 2')",
      );
      assert.equal(textOf(text, nodeSpan(call.receiver!)), 'queryInterface.sequelize');
      const statements = statementsOf(call);
      assert.deepEqual(
        statements.map((s) => s.type),
        ['UpdateStmt', 'DeleteStmt'],
      );
      assert.deepEqual(statements[0].fileSpan, spanOf(text, 'UPDATE users SET plan = 1'));
      assert.deepEqual(statements[1].fileSpan, spanOf(text, 'DELETE FROM plans WHERE id = 2'));
    });

    it('cooks escape sequences in string literals and keeps the offsets of the text after them', () => {
      const text = `exports.up = (pgm) => {\n  pgm.sql('UPDATE a SET s = \\'x\\\\y\\';\\nDELETE FROM "caf\\u00e9" WHERE id = 1');\n};\n`;
      const host = extractHost('m.js', text);
      const [call] = sqlCalls(host);
      assert.equal(call.fragment.sql, `UPDATE a SET s = 'x\\y';\nDELETE FROM "café" WHERE id = 1`);
      const statements = statementsOf(call);
      assert.equal(statements.length, 2);
      assert.deepEqual(statements[1].fileSpan, spanOf(text, 'DELETE FROM "caf\\u00e9" WHERE id = 1'));
      // The cooked `é` maps to its whole escape sequence.
      const e = call.fragment.sql.indexOf('é');
      assert.equal(textOf(text, call.fragment.toFile({ start: e, end: e + 1 })), '\\u00e9');
    });

    it('drops line continuations from the SQL but not from the offsets', () => {
      const text = "exports.up = (pgm) => pgm.sql('UPDATE users \\\nSET plan = 1');\n";
      const [call] = sqlCalls(extractHost('m.js', text));
      assert.equal(call.fragment.sql, 'UPDATE users SET plan = 1');
      const [statement] = statementsOf(call);
      assert.equal(textOf(text, statement.fileSpan), 'UPDATE users \\\nSET plan = 1');
    });

    it('replaces each template hole with a numbered placeholder that maps to the whole ${...}', () => {
      const text =
        'export async function up(knex) {\n  await knex.raw(`UPDATE ${table} SET a = ${value + 1} WHERE b = 1`);\n}\n';
      const [call] = sqlCalls(extractHost('m.ts', text));
      assert.equal(call.fragment.sql, 'UPDATE __pf_hole_0 SET a = __pf_hole_1 WHERE b = 1');
      assert.deepEqual(
        call.fragment.holes.map((hole) => textOf(text, call.fragment.toFile(hole))),
        ['${table}', '${value + 1}'],
      );
      const [statement] = statementsOf(call);
      assert.equal(statement.type, 'UpdateStmt');
      assert.equal(textOf(text, statement.fileSpan), 'UPDATE ${table} SET a = ${value + 1} WHERE b = 1');
    });

    it('reads a + concatenation, with non-literal operands as holes', () => {
      const text =
        "async function main(client) {\n  await client.query('DELETE FROM ' + tableName + ' WHERE id = ' + id);\n}\n";
      const [call] = sqlCalls(extractHost('fix.js', text));
      assert.equal(call.fragment.sql, 'DELETE FROM __pf_hole_0 WHERE id = __pf_hole_1');
      assert.deepEqual(
        call.fragment.holes.map((hole) => textOf(text, call.fragment.toFile(hole))),
        ['tableName', 'id'],
      );
    });

    it('follows a name to the const that holds the SQL, with offsets in the declaration', () => {
      const text = [
        "const SEED = 'INSERT INTO plans (name) VALUES (1)';",
        'export async function up(queryRunner) {',
        '  const backfill = `UPDATE users SET plan = 1`;',
        '  const both = backfill + ";\\n" + SEED;',
        '  await queryRunner.query(both);',
        '}',
      ].join('\n');
      const [call] = sqlCalls(extractHost('m.ts', text));
      assert.equal(call.fragment.sql, 'UPDATE users SET plan = 1;\nINSERT INTO plans (name) VALUES (1)');
      assert.equal(textOf(text, call.span), 'queryRunner.query(both)');
      const statements = statementsOf(call);
      assert.deepEqual(statements[0].fileSpan, spanOf(text, 'UPDATE users SET plan = 1'));
      assert.deepEqual(statements[1].fileSpan, spanOf(text, 'INSERT INTO plans (name) VALUES (1)'));
    });

    it('does not follow a let, or a name a parameter shadows', () => {
      const text = [
        "let query = 'DROP TABLE a';",
        "const sqlText = 'DROP TABLE b';",
        'export async function up(db, sqlText) {',
        '  await db.query(query);',
        '  await db.query(sqlText);',
        '}',
      ].join('\n');
      assert.equal(sqlCalls(extractHost('m.ts', text)).length, 0);
    });

    it('keeps offsets exact in a CRLF file, with template line breaks read as LF', () => {
      const text = [
        'exports.up = async (knex) => {',
        '  await knex.raw(`',
        '    UPDATE users SET plan = 1;',
        '    DELETE FROM plans;',
        '  `);',
        "  await knex.raw('ANALYZE users');",
        '};',
      ].join('\r\n');
      const [template, literal] = sqlCalls(extractHost('m.js', text));
      assert.equal(template.fragment.sql, '\n    UPDATE users SET plan = 1;\n    DELETE FROM plans;\n  ');
      const statements = statementsOf(template);
      assert.deepEqual(statements[0].fileSpan, spanOf(text, 'UPDATE users SET plan = 1'));
      assert.deepEqual(statements[1].fileSpan, spanOf(text, 'DELETE FROM plans'));
      assert.deepEqual(statementsOf(literal)[0].fileSpan, spanOf(text, 'ANALYZE users'));
    });

    it("reads the text of pg's object form `client.query({ text, values })`", () => {
      const text =
        "async function main(pool) {\n  await pool.query({ text: 'DELETE FROM sessions WHERE id = $1', values: [1] });\n}\n";
      const [call] = sqlCalls(extractHost('fix.ts', text));
      assert.deepEqual(statementsOf(call)[0].fileSpan, spanOf(text, 'DELETE FROM sessions WHERE id = $1'));
    });

    it('recognises query, raw, sql, runSql and unsafe on any receiver, and nothing else', () => {
      const text = [
        "queryInterface.sequelize.query('SELECT 1');",
        "query.sequelize.query('SELECT 2');",
        "knex.schema.raw('SELECT 3');",
        "pgm.sql('SELECT 4');",
        "db.runSql('SELECT 5');",
        "sql.unsafe('SELECT 6');",
        "db.execute('SELECT 7');",
        "query('SELECT 8');",
        'client.query(buildSql());',
      ].join('\n');
      const calls = sqlCalls(extractHost('fix.js', text));
      assert.deepEqual(
        calls.map((c) => `${c.method} ${c.fragment.sql}`),
        ['query SELECT 1', 'query SELECT 2', 'raw SELECT 3', 'sql SELECT 4', 'runSql SELECT 5', 'unsafe SELECT 6'],
      );
    });

    it('reports an sql tagged template once, at the query call that runs it', () => {
      const text = [
        "import { sql } from 'slonik';",
        'export async function up(connection) {',
        '  await connection.query(sql`UPDATE users SET plan = ${plan} WHERE ${sql.join([sql`a = 1`, sql`b = 2`], sql` AND `)}`);',
        "  await connection.any(sql.typeAlias('id')`SELECT id FROM users`);",
        '  const condition = sql.fragment`WHERE id = 1`;',
        '}',
      ].join('\n');
      const calls = sqlCalls(extractHost('m.ts', text));
      assert.deepEqual(
        calls.map((c) => c.fragment.sql),
        ['UPDATE users SET plan = __pf_hole_0 WHERE __pf_hole_1', 'SELECT id FROM users'],
      );
      assert.equal(calls[0].method, 'query');
      assert.equal(textOf(text, nodeSpan(calls[0].receiver!)), 'connection');
      assert.equal(calls[1].method, 'sql');
      assert.equal(textOf(text, nodeSpan(calls[1].receiver!)), "sql.typeAlias('id')");
    });

    it('reports a bare postgres-js sql template with the tag as receiver', () => {
      const text = 'export async function up(sql) {\n  await sql`ALTER TABLE users ADD COLUMN plan int`;\n}\n';
      const [call] = sqlCalls(extractHost('m.ts', text));
      assert.equal(call.method, 'sql');
      assert.equal(textOf(text, call.span), 'sql`ALTER TABLE users ADD COLUMN plan int`');
      assert.equal(textOf(text, statementsOf(call)[0].fileSpan), 'ALTER TABLE users ADD COLUMN plan int');
    });

    it('reads a postgres-js instance as an SQL tag under any name: factory, reserved connection, begin and savepoint callbacks', () => {
      const text = [
        "import postgres from 'postgres';",
        'const client = postgres(process.env.DATABASE_URL, { max: 10 });',
        'export async function seed() {',
        '  const reserved = await client.reserve();',
        '  await reserved`SELECT pg_advisory_lock(1)`;',
        '  await client.begin(async (tx) => {',
        '    await tx`DELETE FROM logs.changes`;',
        '    await tx.savepoint(async (sp) => { await sp`TRUNCATE invoices CASCADE`; });',
        '  });',
        '}',
      ].join('\n');
      const calls = sqlCalls(extractHost('seed.ts', text));
      assert.deepEqual(
        calls.map((c) => c.fragment.sql),
        ['SELECT pg_advisory_lock(1)', 'DELETE FROM logs.changes', 'TRUNCATE invoices CASCADE'],
      );
      // The savepoint runs inside the begin's transaction: both statements share its scope.
      assert.ok(calls[1].transactionScope);
      assert.equal(calls[2].transactionScope, calls[1].transactionScope);
    });

    it('reads no tagged template as SQL when its tag does not come from postgres-js', () => {
      const notSql = [
        "import styled from 'styled-components';\nconst Box = styled.div`DELETE FROM users`;",
        "import gql from 'graphql-tag';\nconst client = gql;\nexport const q = client`DELETE FROM users`;",
        // No import of 'postgres': a parameter named client is not known to be one.
        'export async function f(client) { await client`DELETE FROM users`; }',
      ];
      for (const text of notSql) assert.deepEqual(sqlCalls(extractHost('a.ts', text)), [], text);
    });

    it('skips knex.raw handed to a builder as a value, but not a raw query that runs by itself', () => {
      const host = extractHost(fixture('knex-backfill.js').path, fixture('knex-backfill.js').text);
      assert.deepEqual(
        sqlCalls(host).map((c) => c.fragment.sql),
        ['DELETE FROM plans WHERE id = ?', 'ANALYZE users', 'ANALYZE plans'],
      );
    });
  });

  describe('schema and data calls', () => {
    it('reads Sequelize QueryInterface calls, keeping the case of ORM table names', () => {
      const text = [
        'module.exports = {',
        '  async up(queryInterface, Sequelize) {',
        "    await queryInterface.createTable('Accounts', { id: Sequelize.INTEGER });",
        "    await queryInterface.addColumn({ tableName: 'Users', schema: 'app' }, 'plan', Sequelize.STRING);",
        "    await queryInterface.addIndex('Users', ['plan']);",
        "    await queryInterface.bulkInsert('Plans', [{ name: 'free' }]);",
        "    await queryInterface.bulkUpdate('Users', { plan: 1 }, {});",
        "    await queryInterface.bulkDelete('legacy.sessions', null, {});",
        "    await queryInterface.createSchema('reporting');",
        '  },',
        '};',
      ].join('\n');
      const host = extractHost('m.js', text);
      assert.deepEqual(describeSchemaCalls(host), [
        'ddl createTable public.Accounts creates',
        'ddl addColumn app.Users',
        'ddl addIndex public.Users',
        'dml bulkInsert public.Plans insert',
        'dml bulkUpdate public.Users update',
        // Sequelize quotes a dotted string as one identifier.
        'dml bulkDelete public.legacy.sessions delete',
        'ddl createSchema -',
      ]);
      assert.equal(textOf(text, schemaCalls(host)[1].tableSpan!), "'Users'");
    });

    it('reads knex schema builder calls, with withSchema and chaining, but not the table builder inside', () => {
      const { path: file, text } = fixture('knex-backfill.js');
      const host = extractHost(file, text);
      assert.deepEqual(
        describeSchemaCalls(host).filter((d) => d.startsWith('ddl')),
        [
          'ddl createTable billing.invoices creates',
          'ddl table public.users',
          'ddl createTable public.plans creates',
          'ddl dropTableIfExists public.invoices',
        ],
      );
    });

    it('reports one data call per knex query chain, spanning the whole chain', () => {
      const { path: file, text } = fixture('knex-backfill.js');
      const dml = schemaCalls(extractHost(file, text)).filter((call) => call.kind === 'dml');
      assert.deepEqual(
        dml.map((call) => `${call.method} ${call.table} ${call.dmlAction}`),
        ['update public.users update', 'insert audit.logs insert', 'del public.plans delete'],
      );
      assert.equal(
        textOf(text, dml[0].span),
        "knex('users as u').where('id', 1).update({ visits: knex.raw('visits + 1') })",
      );
      assert.equal(textOf(text, dml[1].span), "knex.insert([{ action: 'backfill' }]).into('audit.logs')");
      assert.equal(textOf(text, dml[2].tableSpan!), "'plans'");
    });

    it('reads TypeORM QueryRunner calls, entity-manager inserts by table name and transaction control', () => {
      const { path: file, text } = fixture('typeorm-users.ts');
      const host = extractHost(file, text);
      assert.deepEqual(describeSchemaCalls(host), [
        'ddl createTable auth.users creates',
        'ddl createIndex auth.users',
        'dml insert public.plans insert',
        'dml clearTable public.sessions truncate',
        'ddl dropTable auth.users',
      ]);
      const transactions = host.calls.filter((call): call is TransactionCall => call.kind === 'transaction');
      assert.deepEqual(
        transactions.map((call) => call.action),
        ['begin', 'commit'],
      );
      const [index] = sqlCalls(host);
      assert.equal(
        textOf(text, statementsOf(index)[0].fileSpan),
        'CREATE INDEX CONCURRENTLY "IDX_users_email" ON "auth"."users" ("email")',
      );
    });

    it('reads node-pg-migrate calls, including { schema, name } tables', () => {
      const text = [
        'exports.up = (pgm) => {',
        "  pgm.createTable('accounts', { id: 'id' });",
        "  pgm.addColumns({ schema: 'app', name: 'users' }, { plan: 'int' });",
        "  pgm.createIndex('users', 'email', { concurrently: true });",
        "  pgm.createExtension('pgcrypto');",
        '};',
      ].join('\n');
      assert.deepEqual(describeSchemaCalls(extractHost('m.js', text)), [
        'ddl createTable public.accounts creates',
        'ddl addColumns app.users',
        'ddl createIndex public.users',
        'ddl createExtension -',
      ]);
    });

    it('reads db-migrate calls', () => {
      const text = [
        'exports.up = function (db, callback) {',
        "  db.createTable('pets', { id: 'int' }, callback);",
        "  db.insert('pets', ['id'], [1], callback);",
        '};',
      ].join('\n');
      assert.deepEqual(describeSchemaCalls(extractHost('m.js', text)), [
        'ddl createTable public.pets creates',
        'dml insert public.pets insert',
      ]);
    });

    it('resolves a const table name to its literal', () => {
      const text =
        "const TABLE = 'invoices';\nexports.up = async (queryInterface) => {\n  await queryInterface.removeColumn(TABLE, 'x');\n};\n";
      const [call] = schemaCalls(extractHost('m.js', text));
      assert.equal(call.table, 'public.invoices');
      assert.deepEqual(call.tableSpan, spanOf(text, "'invoices'"));
    });

    it('ignores the same method names on objects that are not a migration handle', () => {
      const text = [
        'export async function up(queryInterface) {',
        '  rows.update({ a: 1 });',
        "  cache.delete('users');",
        "  helper.addColumn('users', 'x');",
        "  items.forEach((item) => item.dropTable('users'));",
        "  queryInterface.toString('users');",
        "  await knex('users').where({ id: 1 }).constructor();",
        "  await queryInterface.dropTable('users');",
        '}',
      ].join('\n');
      assert.deepEqual(describeSchemaCalls(extractHost('m.ts', text)), ['ddl dropTable public.users']);
    });
  });

  describe('transactions', () => {
    it('scopes calls to the innermost transaction callback', () => {
      const text = [
        'module.exports = {',
        '  async up(queryInterface) {',
        '    await queryInterface.sequelize.transaction(async (t) => {',
        "      await queryInterface.addColumn('Users', 'plan', {}, { transaction: t });",
        '      await knex.transaction(async (trx) => {',
        "        await trx('plans').insert({ name: 'free' });",
        '      });',
        '    });',
        "    await queryInterface.removeColumn('Users', 'legacy');",
        '  },',
        '};',
      ].join('\n');
      const calls = extractHost('m.js', text).calls;
      const scopes = calls.map(
        (call) => call.transactionScope && textOf(text, nodeSpan(call.transactionScope)).split('\n')[0],
      );
      assert.deepEqual(scopes, ['async (t) => {', 'async (trx) => {', undefined]);
    });

    it('treats the parameter of a TypeORM dataSource.transaction callback as a handle', () => {
      const text = [
        'async function main(dataSource) {',
        '  await dataSource.transaction(async (manager) => {',
        "    await manager.update('users', { id: 1 }, { plan: 2 });",
        '  });',
        '}',
      ].join('\n');
      const [call] = schemaCalls(extractHost('fix.ts', text));
      assert.equal(`${call.method} ${call.table} ${call.dmlAction}`, 'update public.users update');
      assert.ok(call.transactionScope);
    });

    it('notices each way a migration opts out of the transaction, and the ways it opts back in', () => {
      const optOuts = [
        'exports.config = { transaction: false };\nexports.up = async (knex) => {};',
        'export const config = { transaction: false };\nexport async function up(knex) {}',
        'module.exports = { config: { transaction: false }, up: async (knex) => {} };',
        'export class M { public transaction = false as const; async up(queryRunner) {} }',
        'export class M { transaction = false; async up(queryRunner) {} }',
        'exports.up = (pgm) => { pgm.noTransaction(); };',
        "import { Migration } from '@mikro-orm/migrations';\nexport class M extends Migration { isTransactional(): boolean { return false; } async up() {} }",
      ];
      for (const text of optOuts) assert.equal(extractHost('m.ts', text).transactionSwitch, false, text);
      // Knex runs such a file in a transaction even with knexfile's disableTransactions; TypeORM under
      // migrationsTransactionMode 'none'.
      const optIns = [
        'exports.config = { transaction: true };\nexports.up = async (knex) => {};',
        'export class M { transaction = true; async up(queryRunner) {} }',
      ];
      for (const text of optIns) assert.equal(extractHost('m.ts', text).transactionSwitch, true, text);
      const silent = [
        'const config = { transaction: false };\nexports.up = async (knex) => {};',
        'exports.config = { transaction: process.env.TX === "1" };\nexports.up = async (knex) => {};',
      ];
      for (const text of silent) assert.equal(extractHost('m.ts', text).transactionSwitch, undefined, text);
    });
  });

  describe('sections', () => {
    const shapes: Record<string, string> = {
      'export async function': 'export async function up(knex) { A }\nexport async function down(knex) { B }',
      'exports.x = function / arrow': 'exports.up = function (knex) { A };\nexports.down = async (knex) => { B };',
      'module.exports object':
        'module.exports = { up: async (queryInterface) => { A }, async down(queryInterface) { B } };',
      'module.exports.x =':
        'module.exports.up = async (qi) => { A };\nmodule.exports.down = async function (qi) { B };',
      'export default { up, down }':
        'async function up(db) { A }\nconst down = async (db) => { B };\nexport default { up, down };',
      'TypeORM class':
        'export class M implements MigrationInterface {\n  public async up(queryRunner: QueryRunner) { A }\n  public async down(queryRunner: QueryRunner) { B }\n}',
      'export const': 'export const up = async (db) => { A };\nexport const down = async (db) => { B };',
      'node-pg-migrate arrow': 'exports.up = (pgm) => { A };\nexports.down = (pgm) => { B };',
      'object passed to a helper':
        'export default defineMigration({ up: async () => { A }, down: async () => { B } });',
      'export default of a const object':
        'const alteration: AlterationScript = { up: async (pool) => { A }, down: async (pool) => { B } };\nexport default alteration;',
      'module.exports of a const object':
        'const migration = { async up(db) { A }, async down(db) { B } };\nmodule.exports = migration;',
    };
    for (const [shape, text] of Object.entries(shapes)) {
      it(`finds up and down bodies: ${shape}`, () => {
        const sections = extractHost('m.ts', text).sections;
        assert.deepEqual(
          sections.map((section) => `${section.name}: ${textOf(text, section.span)}`),
          ['up: { A }', 'down: { B }'],
        );
      });
    }

    it('takes a concise arrow body as the section', () => {
      const text = "exports.up = (pgm) => pgm.sql('SELECT 1');";
      const [section] = extractHost('m.js', text).sections;
      assert.equal(textOf(text, section.span), "pgm.sql('SELECT 1')");
    });

    it('finds no sections in a plain script', () => {
      const text = "async function main(client) { await client.query('UPDATE users SET a = 1'); }\nmain();";
      const host = extractHost('fix.ts', text);
      assert.deepEqual(host.sections, []);
      assert.equal(sqlCalls(host).length, 1);
    });
  });

  describe('framework detection', () => {
    const cases: [string, string][] = [
      ['exports.up = (pgm) => {};', 'node-pg-migrate'],
      ['export async function up(pgm: MigrationBuilder) {}', 'node-pg-migrate'],
      ['export class M implements MigrationInterface { async up(q) {} }', 'typeorm'],
      ['export async function up(queryRunner) {}', 'typeorm'],
      ['module.exports = { up: async (queryInterface, Sequelize) => {} };', 'sequelize'],
      ['module.exports = { up: async (qi, Sequelize) => {} };', 'sequelize'],
      ["exports.up = (k) => knex.schema.createTable('a', () => {});", 'knex'],
      ['export async function up(knex) {}', 'knex'],
      ['export async function up(db: Knex) {}', 'knex'],
      ["exports.up = function (db, callback) { db.runSql('SELECT 1', callback); };", 'db-migrate'],
      ["exports.up = function (db) { return db.createTable('a', {}); };", 'db-migrate'],
      ["await client.query('UPDATE users SET a = 1');", 'script'],
      ["export async function up(db) { await db.schema.createTable('a').execute(); }", 'script'],
    ];
    for (const [text, framework] of cases) {
      it(`detects ${framework} in ${JSON.stringify(text)}`, () => {
        assert.equal(extractHost('m.ts', text).framework, framework);
      });
    }
  });

  describe('directive comments', () => {
    it('collects preflight- and squawk-ignore comments with their spans and bodies', () => {
      const text = [
        '// preflight-transaction: none',
        'exports.up = async (knex) => {',
        '  // an ordinary comment',
        '  /* preflight-ignore ban-drop-table: dropped on purpose */',
        "  await knex.raw('DROP TABLE a'); // squawk-ignore ban-drop-table",
        "  await knex.raw('-- preflight-ignore inside SQL is not a JS comment');",
        '  const url = `http://example.com/ // preflight-nope`;',
        '  // preflight-ignore before the closing brace',
        '};',
      ].join('\n');
      const comments = extractHost('m.js', text).comments;
      assert.deepEqual(
        comments.map((c) => c.body),
        [
          'preflight-transaction: none',
          'preflight-ignore ban-drop-table: dropped on purpose',
          'squawk-ignore ban-drop-table',
          'preflight-ignore before the closing brace',
        ],
      );
      assert.deepEqual(comments[1].span, spanOf(text, '/* preflight-ignore ban-drop-table: dropped on purpose */'));
    });
  });

  describe('robustness', () => {
    it('does not throw on code that does not compile', () => {
      const text =
        "export async function up(queryRunner: {\n  await queryRunner.query(`UPDATE a SET ${b WHERE`;\n  queryRunner.query('unterminated\n";
      const host = extractHost('m.ts', text);
      assert.ok(Array.isArray(host.calls));
      for (const call of sqlCalls(host)) statementsOf(call);
    });

    it('does not throw on binary garbage or deep nesting', () => {
      let seed = 7;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      for (let round = 0; round < 50; round++) {
        const garbage = Array.from({ length: 3000 }, () => String.fromCharCode(Math.floor(random() * 0x3000))).join('');
        extractHost('g.ts', garbage);
        extractHost('g.js', garbage);
      }
      extractHost('deep.ts', '('.repeat(50000) + 'x' + ')'.repeat(50000));
      extractHost('deep.js', 'db.query(' + "'x' + ".repeat(20000) + "'y');");
      extractHost('empty.ts', '');
    });

    it('keeps the calls of a file with deep but parseable nesting', () => {
      const text = "db.query('SELECT 1');\n" + '('.repeat(300) + 'x' + ')'.repeat(300);
      assert.equal(sqlCalls(extractHost('deep.ts', text)).length, 1);
    });
  });
});

function nodeSpan(node: HostCall['node']): Span {
  return { start: node.getStart(), end: node.end };
}
