import * as assert from 'assert';
import { ConfigCache } from '../server/src/config';
import { initEngine, lintText } from '../server/src/lint/engine';
import { Catalog, TableInfo, emptyCatalog } from '../server/src/schema/catalog';

/** Rules whose findings depend on what the schema source knows: row estimates, indexes. */
const configs = new ConfigCache();

function catalogWith(...tables: Partial<TableInfo>[]): Catalog {
  const catalog = emptyCatalog();
  const map = new Map(catalog.tables);
  for (const table of tables) {
    map.set(table.name!, { columns: [], indexes: [], constraints: [], triggers: [], ...table } as TableInfo);
  }
  return { ...catalog, tables: map };
}

function findings(rule: string, text: string, catalog?: Catalog, file = 'migration.sql') {
  return lintText(file, text, { config: configs.configFor(file), catalog })
    .diagnostics.filter((d) => d.rule === rule)
    .map((d) => ({ severity: d.severity, text: text.slice(d.span.start, d.span.end) }));
}

describe('rules that read the schema catalog', () => {
  before(() => initEngine());

  describe('unbatched-backfill', () => {
    const backfill = "UPDATE visits SET billing_status = 'unbilled' WHERE billing_status IS NULL;";

    it('is information only when the table size is unknown', () => {
      assert.deepStrictEqual(findings('unbatched-backfill', backfill), [{ severity: 'info', text: 'visits' }]);
    });

    it('warns, with the estimate, when the table is large', () => {
      const catalog = catalogWith({ name: 'public.visits', rowEstimate: 2_400_000 });
      const result = lintText('m.sql', backfill, { config: configs.configFor('m.sql'), catalog }).diagnostics.filter(
        (d) => d.rule === 'unbatched-backfill',
      );
      assert.strictEqual(result.length, 1);
      assert.strictEqual(result[0].severity, 'warning');
      assert.match(result[0].message, /about 2\.4 million rows/);
    });

    it('stays silent when the table is known to be small', () => {
      const catalog = catalogWith({ name: 'public.visits', rowEstimate: 800 });
      assert.deepStrictEqual(findings('unbatched-backfill', backfill, catalog), []);
    });
  });

  describe('foreign-key-without-index', () => {
    const migration =
      'CREATE TABLE visit_notes (id bigint PRIMARY KEY, visit_id bigint REFERENCES visits (id));\nSELECT 1;';

    it('says nothing without a schema source', () => {
      assert.deepStrictEqual(findings('foreign-key-without-index', migration), []);
    });

    it('flags the REFERENCES clause and offers the index right after the CREATE TABLE', () => {
      const catalog = catalogWith({ name: 'public.visits' });
      const [finding] = lintText('m.sql', migration, {
        config: configs.configFor('m.sql'),
        catalog,
      }).diagnostics.filter((d) => d.rule === 'foreign-key-without-index');
      assert.strictEqual(migration.slice(finding.span.start, finding.span.end), 'REFERENCES visits (id)');
      const edit = finding.fix!.edits[0];
      const fixed = migration.slice(0, edit.span.start) + edit.newText + migration.slice(edit.span.end);
      assert.strictEqual(
        fixed,
        'CREATE TABLE visit_notes (id bigint PRIMARY KEY, visit_id bigint REFERENCES visits (id));\n' +
          'CREATE INDEX visit_notes_visit_id_idx ON visit_notes (visit_id);\nSELECT 1;',
      );
      const relinted = lintText('m.sql', fixed, { config: configs.configFor('m.sql'), catalog }).diagnostics;
      assert.deepStrictEqual(
        relinted.filter((d) => d.rule === 'foreign-key-without-index'),
        [],
      );
    });
  });
});
