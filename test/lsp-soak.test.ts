import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { performance } from 'perf_hooks';
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  HoverRequest,
  MessageType,
} from 'vscode-languageserver-protocol/node';
import { LspTestClient, byRule, serverFor } from './support/lsp-client';
import { ORDERS_INDEX, dependantMigrations, soak, soakMigration } from './support/lsp-soak';

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
    await server.client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(file).href, type }],
    });
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
    assert.ok(
      last - warm < 50,
      `grew from ${warm} MB to ${last} MB over 700 edits (${JSON.stringify([...broken, ...healed])})`,
    );
  });
});

/**
 * Each open migration's schema is replayed from the migrations before it, so opening, closing or editing one
 * re-lints the open migrations after it. A burst of such changes (closing every file of a folder, typing) must
 * cost one pass over those dependants, not one per change: closing 200 files one after the other used to re-lint
 * each later file on every close (17,581 publishes, no answer for minutes).
 */
describe('language server: 200 open migrations of one directory', function () {
  this.timeout(300_000);
  const COUNT = 200;
  const migrations = dependantMigrations(COUNT);
  const server = serverFor(
    { ...migrations, 'elsewhere/0001_other.sql': 'CREATE TABLE other (id bigint PRIMARY KEY);\n' },
    { each: true },
  );

  /** Opens every migration, first to last, and waits until each is linted with the schema before it. */
  async function openAll(client: LspTestClient): Promise<string[]> {
    const uris: string[] = [];
    for (const file of Object.keys(migrations)) uris.push(await client.open(path.join(server.root, file)));
    for (const uri of uris.slice(1))
      await client.diagnostics(uri, (d) => byRule(d, 'unindexed-filter').length === 1, 120_000);
    assert.ok(await client.quiet(500, 120_000), 'the server went quiet after the opens');
    return uris;
  }

  it('closing them all publishes O(n) diagnostics, and a request right after is answered at once', async () => {
    const { client } = server;
    const uris = await openAll(client);
    const other = await client.open(path.join(server.root, 'elsewhere/0001_other.sql'));
    await client.diagnostics(other);
    const before = client.published.length;
    const started = performance.now();
    for (const uri of uris) await client.close(uri);
    const hover = client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: other },
      position: { line: 0, character: 14 },
    });
    await Promise.race([hover, rejectAfter(10_000, 'the hover after the closes was not answered within 10 s')]);
    const answeredMs = performance.now() - started;
    assert.ok(await client.quiet(1_000, 60_000), 'the server went quiet after the closes');
    const publishes = client.published.slice(before);
    assert.ok(
      publishes.length <= 3 * COUNT,
      `${publishes.length} publishes for ${COUNT} closes (hover answered after ${Math.round(answeredMs)} ms)`,
    );
    for (const uri of uris)
      assert.deepStrictEqual([...publishes].reverse().find((p) => p.uri === uri)?.diagnostics, [], `${uri} is cleared`);
  });

  it('ten quick keystrokes in the first re-lint the others at most twice, and they end up seeing the last one', async () => {
    const { client } = server;
    const uris = await openAll(client);
    const before = client.published.length;
    const end = () => client.document(uris[0]).positionAt(client.document(uris[0]).getText().length);
    for (const key of '-- index\n') await client.change(uris[0], [{ range: { start: end(), end: end() }, text: key }]);
    await client.change(uris[0], [{ range: { start: end(), end: end() }, text: ORDERS_INDEX }]);
    for (const uri of uris.slice(1))
      await client.diagnostics(uri, (d) => byRule(d, 'unindexed-filter').length === 0, 120_000);
    assert.ok(await client.quiet(1_000, 120_000), 'the server went quiet after the keystrokes');
    const publishes = client.published.length - before;
    assert.ok(
      publishes <= 2 * COUNT + 10,
      `${publishes} publishes for 10 keystrokes with ${COUNT - 1} migrations after the edited one`,
    );
    for (const uri of uris.slice(1))
      assert.strictEqual(byRule(await client.diagnostics(uri), 'unindexed-filter').length, 0);
  });
});

function rejectAfter(ms: number, message: string): Promise<never> {
  return new Promise((_resolve, reject) => setTimeout(() => reject(new Error(message)), ms).unref());
}
