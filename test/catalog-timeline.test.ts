import * as assert from 'assert';
import * as path from 'path';
import { ConfigCache } from '../server/src/config';
import { initEngine, lintText } from '../server/src/lint/engine';
import { Catalog, emptyCatalog } from '../server/src/schema/catalog';
import { serverFor } from './support/lsp-client';

/**
 * The catalog timeline (schema/timeline.ts): the catalog before each statement of a file, replayed once per lint
 * for every rule and hover, and replayed again after an edit only from the first statement whose text changed.
 */
const configs = new ConfigCache();
const FILE = path.join('db', '0001_baseline.sql');

/** A long migration like a squashed baseline: tables with foreign keys (which rules judge on the timeline), indexes, backfills, functions. */
function baseline(statements: number): string {
  const lines: string[] = [];
  for (let i = 0; lines.length < statements; i++) {
    lines.push(
      `CREATE TABLE t${i} (id bigint PRIMARY KEY, account_id bigint NOT NULL, parent_id bigint REFERENCES t${Math.max(i - 1, 0)} (id), name text NOT NULL);`,
      `CREATE INDEX t${i}_account_id_idx ON t${i} (account_id);`,
      `ALTER TABLE t${i} ADD COLUMN note text;`,
      `UPDATE t${i} SET note = 'n' WHERE account_id = ${i};`,
      `CREATE FUNCTION t${i}_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.note := ''; RETURN NEW; END $$;`,
    );
  }
  return lines.slice(0, statements).join('\n') + '\n';
}

/** A catalog as plain data, for comparing catalogs built different ways. */
function plain(catalog: Catalog) {
  const sorted = <V>(map: ReadonlyMap<string, V>) => [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
  return {
    schemas: [...catalog.schemas].sort(),
    tables: sorted(catalog.tables),
    views: sorted(catalog.views),
    sequences: sorted(catalog.sequences),
    functions: sorted(catalog.functions),
  };
}

function lint(text: string, catalog: Catalog, previous?: ReturnType<typeof lintText>) {
  return lintText(FILE, text, { config: configs.configFor(FILE), catalog, previousTimeline: previous?.timeline });
}

describe('catalog timeline', function () {
  this.timeout(60_000);
  before(() => initEngine());

  it('gives each statement the catalog just before it, the down section the state after up, and the file its state after up', () => {
    const text = [
      '-- +goose Up',
      'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);',
      'CREATE INDEX orders_customer_idx ON orders (customer_id);',
      'DELETE FROM orders WHERE customer_id = 1;',
      '-- +goose Down',
      'DROP INDEX orders_customer_idx;',
      'DROP TABLE orders;',
      '',
    ].join('\n');
    const { file, timeline } = lint(text, emptyCatalog());
    const [create, index, purge, dropIndex, dropTable] = file!.operations;
    const indexes = (operation: typeof create) =>
      timeline!
        .catalogAt(operation)
        .tables.get('public.orders')
        ?.indexes.map((i) => i.name);
    assert.strictEqual(indexes(create), undefined);
    assert.deepStrictEqual(indexes(index), ['orders_pkey']);
    assert.deepStrictEqual(indexes(purge), ['orders_pkey', 'orders_customer_idx']);
    assert.deepStrictEqual(indexes(dropIndex), ['orders_pkey', 'orders_customer_idx']);
    assert.deepStrictEqual(indexes(dropTable), ['orders_pkey']);
    assert.deepStrictEqual(
      timeline!
        .catalogAfterFile()
        .tables.get('public.orders')
        ?.indexes.map((i) => i.name),
      ['orders_pkey', 'orders_customer_idx'],
    );
    // A statement that changes nothing shares the catalog object of the one before it (and what was cached for it).
    assert.strictEqual(timeline!.catalogAt(dropIndex), timeline!.catalogAt(purge));
  });

  it('replays one statement when the last statement of a 1,500-statement file is edited, with the findings of a lint from scratch', () => {
    const text = baseline(1500);
    const catalog = emptyCatalog();
    const first = lint(text, catalog);
    assert.strictEqual(first.timeline!.replayedOperations, 1500);
    const last = text.lastIndexOf('CREATE FUNCTION');
    const edited = `${text.slice(0, last)}UPDATE t0 SET note = 'edited' WHERE name = 'x';\n`;
    const again = lint(edited, catalog, first);
    assert.strictEqual(again.timeline!.replayedOperations, 1);
    const fresh = lint(edited, catalog);
    assert.deepStrictEqual(again.diagnostics, fresh.diagnostics);
    assert.deepStrictEqual(plain(again.timeline!.catalogAfterFile()), plain(fresh.timeline!.catalogAfterFile()));
  });

  it('after an edit in the middle, gives every statement the catalog a lint from scratch gives it', () => {
    const text = baseline(200);
    const catalog = emptyCatalog();
    const first = lint(text, catalog);
    first.timeline!.catalogAfterFile();
    // Dropping an index half-way changes every later state of that table.
    const edited = text.replace('ALTER TABLE t20 ADD COLUMN note text;', 'DROP INDEX t20_account_id_idx;');
    const again = lint(edited, catalog, first);
    const fresh = lint(edited, catalog);
    assert.strictEqual(again.timeline!.replayedOperations, 200 - 102);
    const operations = again.file!.operations;
    fresh.file!.operations.forEach((operation, i) => {
      assert.deepStrictEqual(
        plain(again.timeline!.catalogAt(operations[i])),
        plain(fresh.timeline!.catalogAt(operation)),
        `before statement ${i + 1}`,
      );
    });
    assert.deepStrictEqual(again.diagnostics, fresh.diagnostics);
  });

  it('replays the whole file again, on the new catalog, when the catalog before it is another one (an earlier migration changed)', () => {
    const text = baseline(50);
    const first = lint(text, emptyCatalog());
    first.timeline!.catalogAfterFile();
    const earlier = lint('CREATE TABLE orders (id bigint PRIMARY KEY);\n', emptyCatalog()).timeline!.catalogAfterFile();
    const again = lint(text, earlier, first);
    assert.ok(again.timeline!.catalogAt(again.file!.operations[0]).tables.has('public.orders'));
    assert.ok(again.timeline!.catalogAfterFile().tables.has('public.orders'));
    assert.strictEqual(again.timeline!.replayedOperations, 50);
  });
});

describe('language server: catalog timeline', function () {
  this.timeout(60_000);
  const text = baseline(1500);
  const server = serverFor({ [FILE]: text }, { each: true });

  it('re-analyses only the statement edited near the end of a 1,500-statement file', async () => {
    const uri = await server.client.open(path.join(server.root, FILE));
    await server.client.diagnostics(uri);
    const replayed = () =>
      server.client.log
        .filter((line) => /^linted 0001_baseline\.sql in /.test(line))
        .map((line) => /replayed (\d+ of \d+) statements/.exec(line)?.[1]);
    await server.client.until(() => replayed().length === 1, 5000, 'the first lint in the log');
    const lines = text.split('\n');
    const last = lines.length - 2;
    const version = await server.client.change(uri, [
      {
        range: { start: { line: last, character: 0 }, end: { line: last, character: lines[last].length } },
        text: "UPDATE t0 SET note = 'edited' WHERE name = 'x';",
      },
    ]);
    await server.client.diagnostics(uri, (_d, published) => published === version);
    await server.client.until(() => replayed().length === 2, 5000, 'the second lint in the log');
    assert.deepStrictEqual(replayed(), ['1500 of 1500', '1 of 1500']);
  });
});
