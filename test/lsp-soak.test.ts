import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { DidChangeWatchedFilesNotification, FileChangeType, MessageType } from 'vscode-languageserver-protocol/node';
import { byRule, serverFor } from './support/lsp-client';
import { soak, soakMigration } from './support/lsp-soak';

/**
 * The language server under a long editing session: it answers every burst of edits, reports a config file
 * that turns invalid midway once and keeps serving, and its memory stops growing once warm. The bounds are
 * generous (other processes share the machine); `npm run bench:lsp-soak` measures 10,000 edits for
 * docs/reliability.md.
 */
describe('language server: a long editing session', function () {
  this.timeout(300_000);
  const server = serverFor({ 'db/0001_soak.sql': soakMigration() });

  async function writeConfig(text: string): Promise<void> {
    const file = path.join(server.root, '.preflightrc.json');
    const type = fs.existsSync(file) ? FileChangeType.Changed : FileChangeType.Created;
    fs.writeFileSync(file, text);
    await server.client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(file).href, type }] });
  }

  it('serves 1,000 edits with a config that turns invalid and back, and its memory stops growing', async () => {
    const { client } = server;
    const uri = await client.open(path.join(server.root, 'db/0001_soak.sql'));
    await client.diagnostics(uri, (d) => byRule(d, 'mixed-ddl-dml').length === 1);

    const warmUp = await soak(client, uri, { edits: 300, burst: 10, sampleEvery: 300 });

    await writeConfig('{"rules": {"no-such-rule": "error"}}');
    const broken = await soak(client, uri, { edits: 200, burst: 10, sampleEvery: 200 });
    const [onFile] = await client.diagnostics(uri);
    assert.match(onFile.message as string, /did not lint this file because its config is invalid/);
    const errors = client.messages.filter((m) => m.type === MessageType.Error);
    assert.strictEqual(errors.length, 1, `reported once: ${JSON.stringify(errors)}`);

    await writeConfig('{}');
    const healed = await soak(client, uri, { edits: 500, burst: 10, sampleEvery: 100 });
    await client.diagnostics(uri, (d) => byRule(d, 'mixed-ddl-dml').length === 1);
    assert.strictEqual(client.process.exitCode, null, 'the server is still running');

    // Warm after the first 300 edits; a leak of each lint's results (a parse of 60 statements, about a
    // megabyte) would add over 50 MB across the 70 lints of the last 700 edits.
    const warm = warmUp[warmUp.length - 1].rssMb;
    const last = healed[healed.length - 1].rssMb;
    assert.ok(Number.isFinite(warm) && Number.isFinite(last), 'read the server memory from /proc');
    assert.ok(last - warm < 50, `grew from ${warm} MB to ${last} MB over 700 edits (${JSON.stringify([...broken, ...healed])})`);
  });
});
