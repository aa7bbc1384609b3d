import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { byRule, rangeOf, serverFor } from './support/lsp-client';

const MIXED_SQL = "ALTER TABLE plans ADD COLUMN note text;\nUPDATE plans SET note = '';\n";

/** sequelize-cli wraps nothing in a transaction: this migration asks for one. */
const SEQUELIZE_MIGRATION = `'use strict';
module.exports = {
  async up(queryInterface) {
    await queryInterface.sequelize.transaction(async (transaction) => {
      await queryInterface.addColumn('plans', 'note', { type: 'TEXT' }, { transaction });
      await queryInterface.sequelize.query(\`UPDATE plans SET note = ''\`, { transaction });
    });
  },
  async down(queryInterface) {
    await queryInterface.removeColumn('plans', 'note');
  },
};
`;

describe('language server: diagnostics', function () {
  this.timeout(30_000);
  const server = serverFor({
    'db/0001_add_note.sql': MIXED_SQL,
    'migrations/20240101120000-add-note.js': SEQUELIZE_MIGRATION,
    'src/app.ts': 'await client.query(`ALTER TABLE plans ADD COLUMN x int; UPDATE plans SET x = 1`);\n',
  });

  it('announces incremental sync, code actions, hover, code lens and the server commands', () => {
    const capabilities = server.client.initializeResult.capabilities;
    assert.deepStrictEqual(capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    assert.ok(capabilities.hoverProvider);
    assert.ok(capabilities.codeLensProvider);
    assert.deepStrictEqual([...capabilities.executeCommandProvider!.commands].sort(), [
      'preflight.server.applyRefactoring',
      'preflight.server.dryRun',
      'preflight.server.lintWorkspace',
    ]);
    assert.strictEqual(server.client.initializeResult.serverInfo?.name, 'preflight');
  });

  it('publishes a finding on open with its exact range, rule code, severity and docs link', async () => {
    const file = path.join(server.root, 'db/0001_add_note.sql');
    const uri = await server.client.open(file);
    const [finding] = byRule(
      await server.client.diagnostics(uri, (d) => byRule(d, 'mixed-ddl-dml').length > 0),
      'mixed-ddl-dml',
    );
    assert.deepStrictEqual(finding.range, rangeOf(MIXED_SQL, "UPDATE plans SET note = ''"));
    assert.strictEqual(finding.source, 'preflight');
    assert.strictEqual(finding.severity, DiagnosticSeverity.Warning);
    assert.match(finding.message as string, /changes data in the same transaction as ALTER TABLE/);
    const docs = finding.codeDescription!.href;
    assert.match(docs, /^file:\/\/.*\/docs\/rules\/mixed-ddl-dml\.md$/);
    assert.ok(fs.existsSync(fileURLToPath(docs)), `${docs} does not exist`);
  });

  it('re-lints after an incremental change, publishing for the new version', async () => {
    const file = path.join(server.root, 'db/0002_backfill.sql');
    const text = 'UPDATE plans SET note = NULL;\n';
    const uri = await server.client.open(file, text);
    await server.client.diagnostics(uri, (_d, version) => version === 1);
    // Insert a schema change before the UPDATE: now the file mixes DDL and DML.
    const version = await server.client.change(uri, [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        text: 'DROP INDEX plans_note_idx;\n',
      },
    ]);
    const diagnostics = await server.client.diagnostics(uri, (_d, v) => v === version);
    const [finding] = byRule(diagnostics, 'mixed-ddl-dml');
    assert.deepStrictEqual(
      finding.range,
      rangeOf(server.client.document(uri).getText(), 'UPDATE plans SET note = NULL'),
    );
    // ...and removing it again clears the finding.
    const cleared = await server.client.change(uri, [
      { range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' },
    ]);
    assert.deepStrictEqual(byRule(await server.client.diagnostics(uri, (_d, v) => v === cleared), 'mixed-ddl-dml'), []);
  });

  it('places a finding in SQL embedded in a TS/JS migration exactly on the SQL', async () => {
    const uri = await server.client.open(path.join(server.root, 'migrations/20240101120000-add-note.js'));
    const [finding] = byRule(
      await server.client.diagnostics(uri, (d) => byRule(d, 'mixed-ddl-dml').length > 0),
      'mixed-ddl-dml',
    );
    assert.deepStrictEqual(finding.range, rangeOf(SEQUELIZE_MIGRATION, "UPDATE plans SET note = ''"));
  });

  it('matches what `preflight lint` reports for the same file', async () => {
    const file = path.join(server.root, 'migrations/20240101120000-add-note.js');
    const { execFileSync } = await import('child_process');
    const { CLI } = await import('./support/paths');
    let output = '';
    try {
      output = execFileSync(process.execPath, [CLI, 'lint', '--format', 'json', file], { encoding: 'utf8' });
    } catch (error) {
      output = (error as { stdout: string }).stdout;
    }
    const cli = (
      JSON.parse(output) as {
        files: { diagnostics: { rule: string; line: number; column: number; endLine: number; endColumn: number }[] }[];
      }
    ).files[0].diagnostics;
    const editor = await server.client.diagnostics(pathToFileURL(file).href);
    assert.deepStrictEqual(
      editor.map(
        (d) =>
          `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1}`,
      ),
      cli.map((d) => `${d.rule} ${d.line}:${d.column}-${d.endLine}:${d.endColumn}`),
    );
  });

  it('leaves TS files outside migration directories alone', async () => {
    const uri = await server.client.open(path.join(server.root, 'src/app.ts'));
    // A later document's diagnostics arriving proves the server handled the earlier open.
    const marker = await server.client.open(path.join(server.root, 'db/0003_marker.sql'), 'SELECT 1;\n');
    await server.client.diagnostics(marker);
    assert.ok(!server.client.published.some((p) => p.uri === uri), 'application code got diagnostics');
  });

  it('survives a thousand rapid changes and publishes the final version', async () => {
    const uri = await server.client.open(path.join(server.root, 'db/0004_rapid.sql'), '');
    let version = 1;
    for (let i = 0; i < 1000; i++) {
      version = await server.client.change(uri, [
        { range: { start: { line: 0, character: i }, end: { line: 0, character: i } }, text: 'x' },
      ]);
    }
    version = await server.client.change(uri, MIXED_SQL);
    const diagnostics = await server.client.diagnostics(uri, (_d, v) => v === version);
    assert.strictEqual(byRule(diagnostics, 'mixed-ddl-dml').length, 1);
    const lints = server.client.published.filter((p) => p.uri === uri).length;
    assert.ok(lints < 100, `${lints} lints for 1001 changes: changes are not coalesced`);
  });

  /**
   * An editor that waits for each answer before its next edit (one keystroke after another, each answered) is not
   * a burst: each edit is linted at once. It used to wait out the 150 ms burst interval from the previous lint,
   * which was almost all of an edit's latency on a small file. Load-proof: no clock, only the order in which the
   * server answers — the edit's lint comes before that of a document opened right after it.
   */
  it('lints an edit at once when nothing else is pending, even right after the previous lint', async () => {
    const text =
      Array.from(
        { length: 15 },
        (_, i) => `ALTER TABLE plans ADD COLUMN c${i} text;\nUPDATE plans SET c${i} = '';`,
      ).join('\n') + '\n';
    const uri = await server.client.open(path.join(server.root, 'db/0005_answered.sql'), text);
    await server.client.diagnostics(uri, (_d, version) => version === 1);
    for (let i = 0; i < 3; i++) {
      const version = await server.client.change(uri, [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `-- edit ${i}\n` },
      ]);
      const probe = await server.client.open(path.join(server.root, `elsewhere/probe_${i}.sql`), 'SELECT 1;\n');
      await server.client.diagnostics(uri, (_d, v) => v === version);
      await server.client.diagnostics(probe);
      const edited = server.client.published.findIndex((p) => p.uri === uri && p.version === version);
      const opened = server.client.published.findIndex((p) => p.uri === probe);
      assert.ok(
        edited < opened,
        `edit ${i} was linted after a document opened later: it waited for the burst interval`,
      );
    }
  });

  it('serves 200 open migrations of one directory', async () => {
    const uris: string[] = [];
    for (let i = 1; i <= 200; i++) {
      const name = `many/${String(i).padStart(4, '0')}_step.sql`;
      uris.push(
        await server.client.open(
          path.join(server.root, name),
          `CREATE TABLE step_${i} (id bigint PRIMARY KEY);\nINSERT INTO step_${i - 1} VALUES (${i});\n`,
        ),
      );
    }
    for (const uri of uris) await server.client.diagnostics(uri, undefined, 60_000);
    assert.strictEqual(byRule(await server.client.diagnostics(uris[199]), 'mixed-ddl-dml').length, 1);
  });

  it('keeps serving after malformed JSON-RPC', async () => {
    const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    server.client.process.stdin.write(frame('{not json!!}'));
    server.client.process.stdin.write(frame('[]'));
    server.client.process.stdin.write(frame(JSON.stringify({ jsonrpc: '2.0', id: 9999, method: 'nope/nope' })));
    server.client.process.stdin.write(
      frame(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: 42 } })),
    );
    // Broken framing (a header without Content-Length) is fatal instead: test/lsp-robustness.test.ts.
    const uri = await server.client.open(path.join(server.root, 'db/0005_after_garbage.sql'), MIXED_SQL);
    const poke = setInterval(() => void server.client.connection.sendNotification('$/setTrace', { value: 'off' }), 200);
    try {
      assert.strictEqual(byRule(await server.client.diagnostics(uri), 'mixed-ddl-dml').length, 1);
    } finally {
      clearInterval(poke);
    }
    assert.strictEqual(server.client.process.exitCode, null);
  });
});
