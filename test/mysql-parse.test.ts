import * as assert from 'assert';
import { fieldsOf, qualifiedName } from '../server/src/parse/ast';
import { FileFragment } from '../server/src/parse/fragment';
import { parseMigration } from '../server/src/parse/migration';
import { parseMySqlFragment } from '../server/src/parse/mysql/parser';
import { splitMySql } from '../server/src/parse/mysql/splitter';
import { loadSqlParser } from '../server/src/parse/sql';
import { LineIndex } from '../server/src/parse/text';

function statementsOf(text: string): string[] {
  return splitMySql(text, { clientCommands: true }).chunks.map((chunk) => text.slice(chunk.span.start, chunk.span.end));
}

describe('MySQL splitter', () => {
  it('ends statements only outside strings, backtick names and comments', () => {
    const text =
      "SELECT 'a;b', `x;y`, \"c\\\";d\"; # one; comment\nUPDATE t SET a = 'it\\'s;'; -- two; comment\nSELECT 1";
    assert.deepStrictEqual(statementsOf(text), [
      'SELECT \'a;b\', `x;y`, "c\\";d"',
      "UPDATE t SET a = 'it\\'s;'",
      'SELECT 1',
    ]);
  });

  it('treats -- as a comment only before whitespace, as MySQL does', () => {
    assert.deepStrictEqual(statementsOf('SELECT 5--1;\nSELECT 2 -- not; a statement\n;'), ['SELECT 5--1', 'SELECT 2']);
  });

  it('follows DELIMITER lines, also where the delimiter touches END', () => {
    const text = [
      'DELIMITER //',
      'CREATE TRIGGER a BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.x = 1; SET NEW.y = 2; END//',
      'delimiter $$',
      'CREATE FUNCTION f() RETURNS int BEGIN RETURN 1; END$$',
      'DELIMITER ;',
      'SELECT 1;',
    ].join('\n');
    assert.deepStrictEqual(statementsOf(text), [
      'CREATE TRIGGER a BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.x = 1; SET NEW.y = 2; END',
      'CREATE FUNCTION f() RETURNS int BEGIN RETURN 1; END',
      'SELECT 1',
    ]);
  });

  it('keeps a stored program body sent without DELIMITER in one statement, but not a column named begin', () => {
    const text =
      'CREATE PROCEDURE p() BEGIN IF x THEN SELECT 1; END IF; CASE WHEN 1 THEN SELECT 2; END CASE; END;\n' +
      'CREATE TABLE t (begin int); SELECT 2;';
    assert.deepStrictEqual(statementsOf(text), [
      'CREATE PROCEDURE p() BEGIN IF x THEN SELECT 1; END IF; CASE WHEN 1 THEN SELECT 2; END CASE; END',
      'CREATE TABLE t (begin int)',
      'SELECT 2',
    ]);
  });

  it('reports an unterminated string on the statement that holds it', () => {
    const { chunks } = splitMySql("SELECT 1;\nUPDATE t SET a = 'oops;", { clientCommands: true });
    assert.deepStrictEqual(chunks[1].unterminated?.what, 'string literal');
  });
});

describe('MySQL statements', () => {
  before(() => loadSqlParser());

  it('recovers every statement range exactly, in the file', () => {
    const text =
      "# setup\nALTER TABLE `users` ADD COLUMN note VARCHAR(10);\n\nUPDATE `app`.`users` SET note = 'é' WHERE id = 1;\nSELECT 1";
    const { statements } = parseMySqlFragment(new FileFragment(text), 'mysql');
    assert.deepStrictEqual(
      statements.map((s) => text.slice(s.fileSpan.start, s.fileSpan.end)),
      [
        'ALTER TABLE `users` ADD COLUMN note VARCHAR(10)',
        "UPDATE `app`.`users` SET note = 'é' WHERE id = 1",
        'SELECT 1',
      ],
    );
    assert.ok(statements.every((s) => s.dialect === 'mysql' && s.node && !s.syntaxError));
  });

  it('restates an UPDATE as the PostgreSQL tree rules read, names as written, the table located in the file', () => {
    const text =
      "-- ü\nUPDATE `app`.`sync_lookup` SET Note = 'x' WHERE record_type = 'a' AND record_id NOT IN (SELECT id FROM links)";
    const [statement] = parseMySqlFragment(new FileFragment(text), 'mysql').statements;
    const update = fieldsOf(statement.node);
    assert.strictEqual(statement.type, 'UpdateStmt');
    assert.strictEqual(qualifiedName(update.relation), 'app.sync_lookup');
    const span = statement.locate(update.relation.location);
    assert.strictEqual(text.slice(span.start, span.end), '`app`.`sync_lookup`');
    assert.strictEqual(update.targetList[0].ResTarget.name, 'Note');
    const [equality, notIn] = update.whereClause.BoolExpr.args;
    assert.strictEqual(equality.A_Expr.name[0].String.sval, '=');
    assert.strictEqual(notIn.BoolExpr.boolop, 'NOT_EXPR');
    assert.strictEqual(notIn.BoolExpr.args[0].SubLink.subLinkType, 'ANY_SUBLINK');
  });

  it('reads ON DUPLICATE KEY UPDATE and REPLACE as overwriting inserts', () => {
    const text =
      'INSERT INTO logs.changes (a) VALUES (1) ON DUPLICATE KEY UPDATE a = 2; REPLACE INTO logs.changes (a) VALUES (1)';
    const statements = parseMySqlFragment(new FileFragment(text), 'mysql').statements;
    assert.deepStrictEqual(
      statements.map((s) => fieldsOf(s.node).onConflictClause?.action),
      ['ONCONFLICT_UPDATE', 'ONCONFLICT_UPDATE'],
    );
  });

  it('maps a parse error to the token where it happens', () => {
    const text = 'SELECT 1;\nALTER TABLE t ADD COLUMN;';
    const [, broken] = parseMySqlFragment(new FileFragment(text), 'mysql').statements;
    assert.ok(broken.syntaxError);
    const where = new LineIndex(text).positionAt(broken.syntaxError.fileSpan.start);
    assert.deepStrictEqual(where, { line: 1, character: 24 });
    assert.match(broken.syntaxError.message, /^syntax error at/);
  });

  it('falls back to the MySQL grammar for MariaDB syntax node-sql-parser misses', () => {
    const text = 'ALTER TABLE users ADD CONSTRAINT fk_org FOREIGN KEY (org_id) REFERENCES orgs (id)';
    const [statement] = parseMySqlFragment(new FileFragment(text), 'mariadb').statements;
    assert.strictEqual(statement.syntaxError, undefined);
    assert.strictEqual(statement.node?.AlterTableStmt?.cmds[0].AlterTableCmd.subtype, 'AT_AddConstraint');
  });

  it('classifies a statement node-sql-parser cannot read by its keywords', () => {
    const text = 'ALTER TABLE `users` ALTER COLUMN a SET DEFAULT 1;\nUPDATE users SET a = 1 WHERE id = 2;';
    const file = parseMigration('0001.sql', text, { dialect: 'mysql' });
    assert.ok(file.statements[0].syntaxError);
    assert.deepStrictEqual(
      file.operations.map((o) => [o.effect, o.tables.map((t) => [t.table, text.slice(t.span.start, t.span.end)])]),
      [
        ['ddl', [['public.users', '`users`']]],
        ['dml', [['public.users', 'users']]],
      ],
    );
  });

  it('parses SQL embedded in a knex migration with MySQL rules and maps it into the file', () => {
    const text = [
      'exports.up = async (knex) => {',
      "  await knex.raw('ALTER TABLE `plans` ADD COLUMN `tier` VARCHAR(20)');",
      "  await knex.raw(`UPDATE plans SET tier = ? WHERE id = ?`, ['pro', 1]);",
      '};',
    ].join('\n');
    const file = parseMigration('20240101_tier.js', text, { dialect: 'mysql' });
    assert.deepStrictEqual(
      file.operations.map((o) => o.effect),
      ['ddl', 'dml'],
    );
    assert.deepStrictEqual(
      file.operations.map((o) => text.slice(o.tables[0].span.start, o.tables[0].span.end)),
      ['`plans`', 'plans'],
    );
    assert.strictEqual(file.transactions.length, 1);
  });
});
