import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  Hover,
  HoverRequest,
  MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { byRule, serverFor } from './support/lsp-client';

const CREATE = 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, note text);\n';
const DELETE = 'DELETE FROM orders WHERE customer_id = 42;\n';

describe('language server: schema from earlier migrations', function () {
  this.timeout(30_000);
  const server = serverFor({ 'db/0001_create_orders.sql': CREATE, 'db/0002_purge.sql': DELETE }, { each: true });

  it('re-lints a migration when an earlier one is edited in the editor, before it is saved', async () => {
    const purge = await server.client.open(path.join(server.root, 'db/0002_purge.sql'));
    assert.strictEqual(byRule(await server.client.diagnostics(purge), 'unindexed-filter').length, 1);
    const create = await server.client.open(path.join(server.root, 'db/0001_create_orders.sql'));
    await server.client.change(create, `${CREATE}CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n`);
    await server.client.diagnostics(purge, (d) => byRule(d, 'unindexed-filter').length === 0);
    assert.strictEqual(fs.readFileSync(path.join(server.root, 'db/0001_create_orders.sql'), 'utf8'), CREATE);
  });

  it('re-lints a migration with the text on disk when an earlier one is closed without saving its edit', async () => {
    const purge = await server.client.open(path.join(server.root, 'db/0002_purge.sql'));
    const create = await server.client.open(path.join(server.root, 'db/0001_create_orders.sql'));
    await server.client.change(create, `${CREATE}CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n`);
    await server.client.diagnostics(purge, (d) => byRule(d, 'unindexed-filter').length === 0);
    await server.client.close(create);
    await server.client.diagnostics(purge, (d) => byRule(d, 'unindexed-filter').length === 1);
  });

  it('re-lints a migration when an earlier one changes on disk', async () => {
    const purge = await server.client.open(path.join(server.root, 'db/0002_purge.sql'));
    assert.strictEqual(byRule(await server.client.diagnostics(purge), 'unindexed-filter').length, 1);
    const index = path.join(server.root, 'db/0001b_index.sql');
    fs.writeFileSync(index, 'CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n');
    await server.client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(index).href, type: FileChangeType.Created }],
    });
    await server.client.diagnostics(purge, (d) => byRule(d, 'unindexed-filter').length === 0);
  });

  it('shows what the schema knows of a table on hover', async () => {
    fs.writeFileSync(
      path.join(server.root, 'db/0001b_index.sql'),
      'CREATE UNIQUE INDEX orders_note_key ON orders (lower(note)) WHERE note IS NOT NULL;\n',
    );
    const purge = await server.client.open(path.join(server.root, 'db/0002_purge.sql'));
    await server.client.diagnostics(purge);
    const hover = (await server.client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: purge },
      position: { line: 0, character: 14 },
    })) as Hover;
    const markdown = (hover.contents as MarkupContent).value;
    assert.match(markdown, /\*\*public\.orders\*\* — table, as the schema stands before this migration/);
    assert.match(markdown, /\| customer_id \| bigint \| not null \| {2}\|/);
    assert.match(markdown, /`orders_pkey` primary key btree \(id\)/);
    assert.match(markdown, /`orders_note_key` unique btree \(lower\(note\)\) WHERE note IS NOT NULL/);
    assert.match(markdown, /\*\*Rows:\*\* unknown/);
    assert.deepStrictEqual(hover.range, { start: { line: 0, character: 12 }, end: { line: 0, character: 18 } });
  });
});
