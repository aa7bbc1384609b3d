import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ExecuteCommandRequest,
  FileChangeType,
  MessageType,
} from 'vscode-languageserver-protocol/node';
import { byRule, serverFor } from './support/lsp-client';

const MIXED = "ALTER TABLE plans ADD COLUMN note text;\nUPDATE plans SET note = '';\n";

describe('language server: config', function () {
  this.timeout(30_000);
  const server = serverFor(
    {
      'app/db/0001_note.sql': MIXED,
      'app/db/0002_later.sql': MIXED,
      'plain/0001_note.sql': MIXED,
    },
    { each: true },
  );

  async function writeConfig(relative: string, text: string): Promise<string> {
    const file = path.join(server.root, relative);
    const existed = fs.existsSync(file);
    fs.writeFileSync(file, text);
    const type = existed ? FileChangeType.Changed : FileChangeType.Created;
    await server.client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(file).href, type }],
    });
    return file;
  }

  it('names in its log the config each file is linted with, once, and again after the config changes', async () => {
    const config = await writeConfig('app/.preflightrc.json', JSON.stringify({ migrations: ['db'], pgVersion: 15 }));
    const first = await server.client.open(path.join(server.root, 'app/db/0001_note.sql'));
    await server.client.diagnostics(first);
    const second = await server.client.open(path.join(server.root, 'app/db/0002_later.sql'));
    await server.client.diagnostics(second);
    const announced = () => server.client.log.filter((line) => line.startsWith(`config: ${config};`));
    await server.client.until(() => announced().length > 0, 5000, 'the config line');
    assert.deepStrictEqual(announced(), [`config: ${config}; 1 migration directories, 0 rule settings, PostgreSQL 15`]);
    await writeConfig('app/.preflightrc.json', JSON.stringify({ migrations: ['db'], pgVersion: 16 }));
    await server.client.until(
      () => server.client.log.some((line) => line.endsWith('PostgreSQL 16')),
      5000,
      'the changed config line',
    );
  });

  it('watches config files and migrations', async () => {
    const registration = await server.client.until(
      () => server.client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles'),
      5000,
      'the registration',
    );
    const watchers = registration.registerOptions as { watchers: { globPattern: string }[] };
    assert.deepStrictEqual(
      watchers.watchers.map((w) => w.globPattern),
      ['**/.preflightrc.json', '**/package.json', '**/*.sql', '**/*.{ts,mts,cts,js,mjs,cjs}'],
    );
  });

  it('re-lints open documents when a config file appears or changes', async () => {
    const uri = await server.client.open(path.join(server.root, 'app/db/0001_note.sql'));
    assert.strictEqual(
      byRule(await server.client.diagnostics(uri), 'mixed-ddl-dml')[0].severity,
      DiagnosticSeverity.Warning,
    );
    await writeConfig('app/.preflightrc.json', JSON.stringify({ rules: { 'mixed-ddl-dml': 'error' } }));
    await server.client.diagnostics(uri, (d) => byRule(d, 'mixed-ddl-dml')[0]?.severity === DiagnosticSeverity.Error);
    await writeConfig('app/.preflightrc.json', JSON.stringify({ rules: { 'mixed-ddl-dml': 'off' } }));
    await server.client.diagnostics(uri, (d) => byRule(d, 'mixed-ddl-dml').length === 0);
  });

  it('reports an invalid config once, on the config file and the linted file, and keeps serving', async () => {
    const uri = await server.client.open(path.join(server.root, 'app/db/0001_note.sql'));
    await server.client.diagnostics(uri, (d) => byRule(d, 'mixed-ddl-dml').length === 1);
    const configText = JSON.stringify({ rules: { 'mixed-ddl-dml': 'error', 'no-such-rule': 'warning' } }, null, 2);
    const config = await writeConfig('app/.preflightrc.json', configText);

    const [onFile] = await server.client.diagnostics(uri, (d) => d.length === 1 && d[0].code === undefined);
    assert.deepStrictEqual(onFile.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 39 } });
    assert.match(
      onFile.message as string,
      /did not lint this file because its config is invalid: .*rules\.no-such-rule: unknown rule id/,
    );
    const [onConfig] = await server.client.diagnostics(pathToFileURL(config).href);
    assert.deepStrictEqual(onConfig.range, { start: { line: 3, character: 4 }, end: { line: 3, character: 18 } });
    assert.strictEqual(onConfig.message, 'rules.no-such-rule: unknown rule id (run `preflight rules` for the list)');

    // Typing does not repeat the notification.
    for (let i = 0; i < 5; i++) await server.client.change(uri, `${MIXED}-- edit ${i}\n`);
    const other = await server.client.open(path.join(server.root, 'app/db/0002_later.sql'));
    await server.client.diagnostics(other, (d) => d.length === 1 && d[0].code === undefined);
    await server.client.diagnostics(uri, (_d, v) => v === 6);
    const shown = server.client.messages.filter((m) => m.type === MessageType.Error);
    assert.strictEqual(shown.length, 1);
    assert.match(shown[0].message, /^Preflight: .*\.preflightrc\.json: rules\.no-such-rule: unknown rule id/);

    await writeConfig('app/.preflightrc.json', JSON.stringify({ rules: { 'mixed-ddl-dml': 'error' } }));
    await server.client.diagnostics(uri, (d) => byRule(d, 'mixed-ddl-dml')[0]?.severity === DiagnosticSeverity.Error);
    await server.client.diagnostics(pathToFileURL(config).href, (d) => d.length === 0);
  });

  it('reports an invalid config once when a lint reads it before the editor says the file changed', async () => {
    const uri = await server.client.open(path.join(server.root, 'app/db/0001_note.sql'));
    await server.client.diagnostics(uri, (d) => byRule(d, 'mixed-ddl-dml').length === 1);
    // The file is on disk before the editor's file watcher reports it: a lint in between already finds it.
    const config = path.join(server.root, 'app/.preflightrc.json');
    fs.writeFileSync(config, JSON.stringify({ rules: { 'no-such-rule': 'warning' } }));
    await server.client.change(uri, `${MIXED}-- edit\n`);
    await server.client.diagnostics(uri, (d, v) => v === 2 && d.length === 1 && d[0].code === undefined);
    await server.client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(config).href, type: FileChangeType.Created }],
    });
    await server.client.change(uri, `${MIXED}-- edit again\n`);
    await server.client.diagnostics(uri, (d, v) => v === 3 && d.length === 1 && d[0].code === undefined);
    const shown = server.client.messages.filter((m) => m.type === MessageType.Error);
    assert.deepStrictEqual(
      shown.map((m) => m.message.replace(/^Preflight: .*\.preflightrc\.json: /, '')),
      ['rules.no-such-rule: unknown rule id (run `preflight rules` for the list)'],
    );
  });

  it("reports a wrong value in .preflightrc.json on the key that holds it, in the schema's words: a rule option, a format setting", async () => {
    const uri = await server.client.open(path.join(server.root, 'app/db/0001_note.sql'));
    await server.client.diagnostics(uri, (d) => byRule(d, 'mixed-ddl-dml').length === 1);
    const line = '    "require-lock-timeout": ["warning", { "value": 5 }]';
    const config = await writeConfig('app/.preflightrc.json', `{\n  "rules": {\n${line}\n  }\n}\n`);

    const [onConfig] = await server.client.diagnostics(pathToFileURL(config).href, (d) => d.length === 1);
    assert.strictEqual(onConfig.message, 'rules.require-lock-timeout.value: must be a string');
    const start = line.indexOf('"value"');
    assert.deepStrictEqual(onConfig.range, {
      start: { line: 2, character: start },
      end: { line: 2, character: start + '"value"'.length },
    });

    // A nested setting is reported on its own key, not on the object that holds it.
    await writeConfig('app/.preflightrc.json', '{\n  "format": { "keywordCase": "lower", "indent": 99 }\n}\n');
    const [onIndent] = await server.client.diagnostics(
      pathToFileURL(config).href,
      (d) => d.length === 1 && String(d[0].message).startsWith('format'),
    );
    assert.strictEqual(onIndent.message, 'format.indent: must be a whole number from 1 to 8');
    assert.deepStrictEqual(onIndent.range, { start: { line: 1, character: 38 }, end: { line: 1, character: 46 } });
    await writeConfig('app/.preflightrc.json', '{}');
    await server.client.diagnostics(pathToFileURL(config).href, (d) => d.length === 0);
  });

  it('reports a .preflightrc.json that is a FIFO as a config problem that cannot be read, and keeps serving', async () => {
    // Reading a FIFO nobody writes to blocks forever: the server would go deaf.
    const uri = await server.client.open(path.join(server.root, 'app/db/0001_note.sql'));
    await server.client.diagnostics(uri, (d) => byRule(d, 'mixed-ddl-dml').length === 1);
    const config = path.join(server.root, 'app/.preflightrc.json');
    execFileSync('mkfifo', [config]);
    await server.client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(config).href, type: FileChangeType.Created }],
    });
    const [onFile] = await server.client.diagnostics(uri, (d) => d.length === 1 && d[0].code === undefined);
    assert.match(
      onFile.message as string,
      /did not lint this file because its config is invalid: .*\.preflightrc\.json: \(file\): cannot be read: not a regular file/,
    );
    const plain = await server.client.open(path.join(server.root, 'plain/0001_note.sql'));
    await server.client.diagnostics(plain, (d) => byRule(d, 'mixed-ddl-dml').length === 1);
  });

  for (const [key, config] of [
    ['__proto__', '{"__proto__": {"pgVersion": 3}}'],
    ['constructor', '{"constructor": 1}'],
    ['toString', '{"toString": "x"}'],
  ]) {
    it(`reports a config key named ${key} as a config problem, not a crash, and keeps serving`, async () => {
      const uri = await server.client.open(path.join(server.root, 'app/db/0001_note.sql'));
      await server.client.diagnostics(uri, (d) => byRule(d, 'mixed-ddl-dml').length === 1);
      await writeConfig('app/.preflightrc.json', config);
      const [onFile] = await server.client.diagnostics(uri, (d) => d.length === 1 && d[0].code === undefined);
      assert.match(
        onFile.message as string,
        new RegExp(`config is invalid: .*\\.preflightrc\\.json: ${key}: unknown key`),
      );
      assert.ok(!/internal error/.test(server.client.log.join('\n') + server.client.stderr), server.client.stderr);
      await writeConfig('app/.preflightrc.json', '{}');
      await server.client.diagnostics(uri, (d) => byRule(d, 'mixed-ddl-dml').length === 1);
    });
  }

  it('uses the editor rule settings only where no config file applies', async () => {
    fs.writeFileSync(path.join(server.root, 'app/.preflightrc.json'), '{}');
    server.client.settings = { rules: { 'mixed-ddl-dml': 'error' } };
    await server.client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
    const plain = await server.client.open(path.join(server.root, 'plain/0001_note.sql'));
    const configured = await server.client.open(path.join(server.root, 'app/db/0001_note.sql'));
    await server.client.diagnostics(plain, (d) => byRule(d, 'mixed-ddl-dml')[0]?.severity === DiagnosticSeverity.Error);
    assert.strictEqual(
      byRule(await server.client.diagnostics(configured), 'mixed-ddl-dml')[0].severity,
      DiagnosticSeverity.Warning,
    );
  });

  it('lints the whole workspace on request and publishes files that are not open', async () => {
    const summary = await server.client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'preflight.server.lintWorkspace',
      arguments: [],
    });
    const files = ['app/db/0001_note.sql', 'app/db/0002_later.sql', 'plain/0001_note.sql'].map(
      (f) => pathToFileURL(path.join(server.root, f)).href,
    );
    let published = 0;
    for (const uri of files) {
      const diagnostics = await server.client.diagnostics(uri);
      assert.strictEqual(byRule(diagnostics, 'mixed-ddl-dml').length, 1);
      published += diagnostics.length;
    }
    assert.deepStrictEqual(summary, { files: 3, diagnostics: published });
  });
});
