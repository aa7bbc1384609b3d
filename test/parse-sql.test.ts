import * as assert from 'assert';
import { FileFragment } from '../server/src/parse/fragment';
import { parseFragment, loadSqlParser } from '../server/src/parse/sql';
import { splitSql } from '../server/src/parse/splitter';
import { ByteOffsets, LineIndex } from '../server/src/parse/text';

function statementsOf(sql: string) {
  return parseFragment(new FileFragment(sql)).statements;
}

describe('SQL splitting and parsing', () => {
  before(() => loadSqlParser());

  it('splits on semicolons outside quotes, dollar quotes, comments and parentheses', () => {
    const sql =
      "SELECT ';', $$ ; $$, $fn$ ; $fn$, \"a;b\", E'\\';' /* ; */ -- ;\n;\nCREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2);";
    const { chunks } = splitSql(sql, { psql: true });
    assert.strictEqual(chunks.length, 2);
    assert.ok(sql.slice(chunks[1].span.start, chunks[1].span.end).endsWith('SELECT 2)'));
  });

  it('keeps BEGIN ATOMIC function bodies whole', () => {
    const sql =
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END;\nSELECT 3;';
    const statements = statementsOf(sql);
    assert.deepStrictEqual(
      statements.map((s) => s.type),
      ['CreateFunctionStmt', 'SelectStmt'],
    );
  });

  it('turns psql meta-commands and COPY FROM stdin data into chunks of their own', () => {
    const sql =
      "\\set ON_ERROR_STOP on\nCOPY t (a) FROM stdin;\n1\n2;3\n\\.\nSELECT :'name', :count, a::int FROM t;\n\\i other.sql\n";
    const statements = statementsOf(sql);
    assert.deepStrictEqual(
      statements.map((s) => s.kind),
      ['psql-command', 'statement', 'copy-data', 'statement', 'psql-command'],
    );
    assert.strictEqual(statements[3].type, 'SelectStmt');
    assert.strictEqual(statements[3].syntaxError, undefined);
  });

  it('reports a syntax error at its exact position and parses the statements after it', () => {
    const sql = 'SELECT 1;\nALTER TABLE t ADD COLUMN;\nUPDATE t SET a = 1;';
    const statements = statementsOf(sql);
    assert.strictEqual(statements.length, 3);
    const error = statements[1].syntaxError!;
    assert.strictEqual(error.fileSpan.start, sql.indexOf('ADD COLUMN;') + 'ADD COLUMN'.length);
    assert.strictEqual(statements[2].type, 'UpdateStmt');
  });

  it('reports an unterminated dollar quote without hiding the statements before it', () => {
    const sql = 'UPDATE t SET a = 1;\nCREATE FUNCTION f() RETURNS void AS $body$ BEGIN';
    const statements = statementsOf(sql);
    assert.strictEqual(statements[0].type, 'UpdateStmt');
    assert.match(statements[1].syntaxError!.message, /unterminated dollar quote \$body\$/);
    assert.strictEqual(statements[1].syntaxError!.fileSpan.start, sql.indexOf('$body$'));
  });

  it('maps parse-tree byte locations to UTF-16 offsets after non-ASCII text', () => {
    const sql = '-- 日本語 and emoji 🚀\nUPDATE "tablé" SET note = \'ü\' WHERE id = 1;';
    const [statement] = statementsOf(sql);
    const relation = statement.node!.UpdateStmt.relation;
    const span = statement.locate(relation.location);
    assert.strictEqual(sql.slice(span.start, span.end), '"tablé"');
  });

  it('parses SQL whose driver or template placeholders are filled in before PostgreSQL sees it', () => {
    for (const sql of [
      'UPDATE collections SET "sort" = :sort::jsonb WHERE id = :id',
      'SELECT count(*) FROM settings WHERE key = $key AND facility_id IS NULL',
      "SELECT * FROM ?? WHERE id = ? AND tags ?| array['a']",
      'CREATE TABLE IF NOT EXISTS {{ index .Options "Namespace" }}.users (id uuid)',
    ]) {
      const [statement] = statementsOf(sql);
      assert.strictEqual(statement.syntaxError, undefined, sql);
      assert.ok(statement.type, sql);
    }
  });

  it('keeps a jsonb ? operator as it is when the statement parses without filling placeholders', () => {
    const [statement] = statementsOf("SELECT data ? 'key' FROM events");
    assert.strictEqual(statement.node!.SelectStmt.targetList[0].ResTarget.val.A_Expr.name[0].String.sval, '?');
  });

  it('counts lines and columns the same way with CRLF, LF and CR line endings', () => {
    const lines = new LineIndex('a\r\nbc\nd\re');
    assert.deepStrictEqual(lines.positionAt(3), { line: 1, character: 0 });
    assert.deepStrictEqual(lines.positionAt(6), { line: 2, character: 0 });
    assert.deepStrictEqual(lines.positionAt(8), { line: 3, character: 0 });
    assert.strictEqual(lines.lineText(0), 'a');
  });

  it('converts UTF-8 byte offsets to UTF-16 offsets across astral characters', () => {
    const offsets = new ByteOffsets('a🚀b');
    assert.strictEqual(offsets.toChar(1), 1);
    assert.strictEqual(offsets.toChar(5), 3);
  });
});
