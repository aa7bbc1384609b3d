import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CodeAction, CodeActionRequest, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { loadConfigFile } from '../server/src/config';
import { formatFile } from '../server/src/format';
import { sameMeaning } from '../server/src/format/sql';
import { applyFixes } from '../server/src/lint/apply-fixes';
import { loadSqlParser } from '../server/src/parse/sql';
import { runPreflight } from './support/cli';
import { rangeOf, serverFor, workspaceWith } from './support/lsp-client';

const MYSQL_CONFIG = JSON.stringify({ migrations: [{ path: '.', dialect: 'mysql' }] });

function formatted(root: string, name: string): { text: string; notes: string[]; skipped?: string } {
  const file = path.join(root, name);
  const text = fs.readFileSync(file, 'utf8');
  const outcome = formatFile(file, text, loadConfigFile(path.join(root, '.preflightrc.json')));
  if ('skipped' in outcome) return { text, notes: [], skipped: outcome.skipped };
  return { text: applyFixes(text, [{ title: 'format', edits: outcome.edits }]).text, notes: outcome.notes };
}

describe('formatting', function () {
  // The CLI cases start a Node process each.
  this.timeout(60_000);
  before(() => loadSqlParser());

  describe('MySQL .sql files', () => {
    it('formats each statement and keeps DELIMITER lines, comments and a CRLF file CRLF', () => {
      const root = workspaceWith({
        '.preflightrc.json': MYSQL_CONFIG,
        '0001.sql':
          "# touch orders\r\nupdate `orders` set note = 'it\\'s' where id = 1;\r\nDELIMITER //\r\nselect 1//\r\n",
      });
      assert.strictEqual(
        formatted(root, '0001.sql').text,
        "# touch orders\r\nUPDATE `orders`\r\nSET\r\n  note = 'it\\'s'\r\nWHERE\r\n  id = 1;\r\nDELIMITER //\r\nSELECT\r\n  1//\r\n",
      );
    });

    it('leaves a statement the parser cannot read as written, with a note, and formats the others', () => {
      const root = workspaceWith({
        '.preflightrc.json': MYSQL_CONFIG,
        '0001.sql': 'alter table t alter column a set default 1;\nselect  a from t;\n',
      });
      const result = formatted(root, '0001.sql');
      assert.strictEqual(result.text, 'alter table t alter column a set default 1;\nSELECT\n  a\nFROM\n  t;\n');
      assert.deepStrictEqual(result.notes, [
        "the statement on line 1 was left as written: Preflight's parser cannot read it, so it cannot check that formatting keeps its meaning",
      ]);
    });
  });

  describe('meaning check', () => {
    it('accepts what keyword case changes in MySQL: keywords, columns, function names', () => {
      assert.ok(
        sameMeaning(
          'update t set Status = now() where id = 1',
          'UPDATE t SET status = NOW() WHERE id = 1',
          'mysql',
          true,
        ),
      );
    });

    it('refuses a changed value, a changed table name case, a lost comment or a dropped statement', () => {
      assert.ok(!sameMeaning("update t set a = 'x'", "update t set a = 'X'", 'mysql', true));
      assert.ok(!sameMeaning('update Users set a = 1', 'UPDATE USERS SET a = 1', 'mysql', true));
      assert.ok(!sameMeaning('select 1 # keep me', 'select 1', 'mysql', true));
      assert.ok(!sameMeaning('select 1; select 2', 'select 1', 'postgresql', true));
      assert.ok(!sameMeaning('select "A" from t', 'select a from t', 'postgresql', true));
    });
  });

  describe('SQL in TS/JS template literals', () => {
    const knex = [
      'exports.up = async function (knex) {',
      "  const table = 'plans';",
      '  await knex.raw(`',
      "    update ${table} set tier = 'pro' where id in (${ids.join(', ')})",
      '  `);',
      "  await knex.raw(`select get_lock('x', 10)`);",
      "  await knex.raw(`update t set a = 'line\\nbreak'`);",
      "  await knex.raw('update t set b = 1');",
      '};',
      '',
    ].join('\n');

    it("formats in place: the literal's indentation kept, holes untouched, a one-line literal indented under its line", () => {
      const root = workspaceWith({ '.preflightrc.json': MYSQL_CONFIG, '0001.js': knex });
      const result = formatted(root, '0001.js');
      assert.strictEqual(
        result.text,
        [
          'exports.up = async function (knex) {',
          "  const table = 'plans';",
          '  await knex.raw(`',
          '    UPDATE ${table}',
          '    SET',
          "      tier = 'pro'",
          '    WHERE',
          "      id IN (${ids.join(', ')})",
          '  `);',
          '  await knex.raw(`',
          '    SELECT',
          "      get_lock('x', 10)",
          '  `);',
          "  await knex.raw(`update t set a = 'line\\nbreak'`);",
          "  await knex.raw('update t set b = 1');",
          '};',
          '',
        ].join('\n'),
      );
      assert.deepStrictEqual(result.notes, ['the SQL on line 7 was left as written: it has escape sequences']);
    });
  });

  describe('preflight format', () => {
    it('--check lists unformatted files and exits 1; --write formats them; then --check exits 0', () => {
      const root = workspaceWith({
        '.preflightrc.json': MYSQL_CONFIG,
        'db/0001.sql': 'select  a from t;\n',
        'db/0002.sql': 'SELECT\n  a\nFROM\n  t;\n',
      });
      const check = runPreflight(['format', '--check', 'db'], { cwd: root });
      assert.strictEqual(check.status, 1);
      assert.strictEqual(check.stdout, `${path.join('db', '0001.sql')}\n`);
      assert.match(check.stderr, /1 file is not formatted/);
      const write = runPreflight(['format', '--write', 'db'], { cwd: root });
      assert.strictEqual(write.status, 0, write.stderr);
      assert.strictEqual(fs.readFileSync(path.join(root, 'db/0001.sql'), 'utf8'), 'SELECT\n  a\nFROM\n  t;\n');
      assert.strictEqual(runPreflight(['format', '--check', 'db'], { cwd: root }).status, 0);
    });

    it('prints the formatted file, and says why a file is left as it is', () => {
      const root = workspaceWith({ 'a.sql': 'select  1;\n', 'b.sql': 'select from where;\n' });
      const printed = runPreflight(['format', 'a.sql', 'b.sql'], { cwd: root });
      assert.strictEqual(printed.status, 0);
      assert.strictEqual(printed.stdout, 'SELECT\n  1;\nselect from where;\n');
      assert.strictEqual(
        printed.stderr,
        'preflight format: b.sql: left as it is: the statement on line 1 does not parse\n',
      );
    });

    it('refuses --check with --write, and a missing file, with one line and exit 2', () => {
      assert.deepStrictEqual(
        [runPreflight(['format', '--check', '--write', 'x.sql']), runPreflight(['format', 'no-such.sql'])].map((r) => [
          r.status,
          r.stderr,
        ]),
        [
          [2, 'preflight format: --check and --write exclude each other\n'],
          [2, 'preflight format: no-such.sql: no such file or directory\n'],
        ],
      );
    });
  });

  describe('preflight dry-run on a MySQL migration', () => {
    it('says dry-run is PostgreSQL only, in one line, with exit 2', () => {
      const root = workspaceWith({
        '.preflightrc.json': MYSQL_CONFIG,
        '0001.sql': 'UPDATE t SET a = 1 WHERE id = 2;\n',
      });
      const run = runPreflight(['dry-run', '0001.sql'], { cwd: root });
      assert.strictEqual(run.status, 2);
      assert.match(
        run.stderr,
        /^preflight dry-run: .*0001\.sql is a MySQL migration \("dialect": "mysql" in its config\): dry-run runs PostgreSQL migrations only\n$/,
      );
    });
  });
});

describe('language server: Format embedded SQL', function () {
  this.timeout(30_000);
  const server = serverFor({ 'db/.preflightrc.json': MYSQL_CONFIG });
  const source =
    "exports.up = async (knex) => {\n  await knex.raw(`update plans set tier = 'pro' where id = ?`, [1]);\n};\n";

  async function actionsAt(uri: string, needle: string): Promise<CodeAction[]> {
    return (await server.client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: rangeOf(source, needle),
      context: { diagnostics: [] },
    })) as CodeAction[];
  }

  it('formats the SQL literal under the cursor, in the file dialect', async () => {
    const uri = await server.client.open(path.join(server.root, 'db/0001_tier.js'), source);
    const action = (await actionsAt(uri, 'tier =')).find((a) => a.title === 'Format embedded SQL');
    assert.ok(action, 'no Format embedded SQL action');
    const edits = (action.edit!.documentChanges![0] as TextDocumentEdit).edits as TextEdit[];
    assert.strictEqual(
      TextDocument.applyEdits(server.client.document(uri), edits),
      "exports.up = async (knex) => {\n  await knex.raw(`\n    UPDATE plans\n    SET\n      tier = 'pro'\n    WHERE\n      id = ?\n  `, [1]);\n};\n",
    );
  });

  it('offers nothing away from SQL', async () => {
    const uri = await server.client.open(path.join(server.root, 'db/0002_tier.js'), source);
    assert.deepStrictEqual(
      (await actionsAt(uri, 'exports')).map((a) => a.title),
      [],
    );
  });
});
