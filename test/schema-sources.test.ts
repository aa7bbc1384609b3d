import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigCache, defaultConfig } from '../server/src/config';
import { initEngine, lintText } from '../server/src/lint/engine';
import { SchemaReplayCache } from '../server/src/schema/cache';
import { compareMigrationNames, listMigrations } from '../server/src/schema/directory';
import { SchemaSources, catalogFor, replayedCatalogFor } from '../server/src/schema/sources';
import { REPO_ROOT } from './support/paths';
import { BASELINE, comparable, tempProject } from './support/schema';

const tablesBefore = (file: string, cache = new SchemaReplayCache()) => [
  ...replayedCatalogFor(file, defaultConfig(path.dirname(file)), cache).catalog.tables.keys(),
];

describe('schema sources: which migrations, in which order', () => {
  before(() => initEngine());

  it('orders names with their numbers compared as numbers, and keeps same-version files apart', () => {
    const names = ['V10__c.sql', 'V2__b.sql', '0042_b.sql', '0042_a.sql', '9_x.sql', '10_x.sql', 'V1.1__a.sql'];
    assert.deepStrictEqual([...names].sort(compareMigrationNames), [
      '9_x.sql',
      '10_x.sql',
      '0042_a.sql',
      '0042_b.sql',
      'V1.1__a.sql',
      'V2__b.sql',
      'V10__c.sql',
    ]);
  });

  it('replays only the migrations that sort before the file; a sibling with the same version prefix is its own migration', () => {
    const dir = tempProject({
      '0042_a_create.sql': 'CREATE TABLE a (id int);',
      '0042_b_create.sql': 'CREATE TABLE b (id int);',
      '0043_c.sql': 'CREATE TABLE c (id int);',
    });
    assert.deepStrictEqual(tablesBefore(path.join(dir, '0042_a_create.sql')), []);
    assert.deepStrictEqual(tablesBefore(path.join(dir, '0042_b_create.sql')), ['public.a']);
    assert.deepStrictEqual(tablesBefore(path.join(dir, '0044_new.sql')), ['public.a', 'public.b', 'public.c']);
  });

  it('runs a file outside the configured migration directories against the fully migrated schema, not after its siblings', () => {
    const dir = tempProject({
      '.preflightrc.json': JSON.stringify({ migrations: ['db'] }),
      'db/0001_init.sql': 'CREATE TABLE users (id int);',
      'db/0002_next.sql': 'CREATE TABLE posts (id int);',
      'scripts/0001_setup.sql': 'CREATE TABLE scratch (id int);',
      'scripts/0002_fix.sql': 'DELETE FROM users WHERE id = 1;',
    });
    const configs = new ConfigCache();
    const tables = (file: string) => [
      ...replayedCatalogFor(file, configs.configFor(file), new SchemaReplayCache()).catalog.tables.keys(),
    ];
    assert.deepStrictEqual(tables(path.join(dir, 'db/0002_next.sql')), ['public.users']);
    assert.deepStrictEqual(tables(path.join(dir, 'scripts/0002_fix.sql')).sort(), ['public.posts', 'public.users']);
  });

  it('skips down migrations and type declarations, and reads one-folder-per-migration layouts (Prisma)', () => {
    const dir = tempProject({
      'migrations/20240101000000_init/migration.sql': 'CREATE TABLE users (id int);',
      'migrations/20240102000000_posts/migration.sql': 'CREATE TABLE posts (id int);',
      'migrations/20240102000000_posts/down.sql': 'DROP TABLE users;',
      'migrations/20240103000000_tags/migration.sql': 'CREATE TABLE tags (id int);',
      'migrations/0001_x.down.sql': 'DROP TABLE posts;',
      'migrations/types.d.ts': 'export type X = 1;',
    });
    const config = defaultConfig(dir);
    assert.deepStrictEqual(
      listMigrations(path.join(dir, 'migrations'), config).map((f) => path.relative(dir, f)),
      [
        'migrations/20240101000000_init/migration.sql',
        'migrations/20240102000000_posts/migration.sql',
        'migrations/20240103000000_tags/migration.sql',
      ],
    );
    assert.deepStrictEqual(tablesBefore(path.join(dir, 'migrations/20240103000000_tags/migration.sql')), [
      'public.users',
      'public.posts',
    ]);
  });
});

describe('schema replay cache', () => {
  before(() => initEngine());

  it('re-replays only from an edited migration: earlier states are kept, later ones rebuilt', () => {
    const dir = tempProject({
      '0001.sql': 'CREATE TABLE a (id int);',
      '0002.sql': 'CREATE TABLE b (id int);',
      '0003.sql': 'CREATE TABLE c (id int);',
    });
    const files = ['0001.sql', '0002.sql', '0003.sql'].map((f) => path.join(dir, f));
    const cache = new SchemaReplayCache();
    const afterTwo = cache.replay(dir, files.slice(0, 2));
    const afterThree = cache.replay(dir, files);
    assert.strictEqual(cache.replay(dir, files), afterThree, 'unchanged files are not replayed again');

    fs.writeFileSync(files[2], 'CREATE TABLE c2 (id int);');
    fs.utimesSync(files[2], new Date(), new Date(Date.now() + 5_000));
    const edited = cache.replay(dir, files);
    assert.notStrictEqual(edited, afterThree);
    assert.strictEqual(
      cache.replay(dir, files.slice(0, 2)),
      afterTwo,
      'the state before the edited migration is reused',
    );
    assert.deepStrictEqual([...edited.catalog.tables.keys()], ['public.a', 'public.b', 'public.c2']);

    fs.writeFileSync(files[0], 'CREATE TABLE a (id int, note text);');
    fs.utimesSync(files[0], new Date(), new Date(Date.now() + 10_000));
    const afterFirstEdit = cache.replay(dir, files);
    assert.notStrictEqual(
      cache.replay(dir, files.slice(0, 2)),
      afterTwo,
      'a change to an earlier migration invalidates what follows',
    );
    assert.deepStrictEqual(
      afterFirstEdit.catalog.tables.get('public.a')?.columns.map((c) => c.name),
      ['id', 'note'],
    );
  });

  it('keeps the skipped statements of each migration of a chain its own when the chain is replayed again from an earlier one', () => {
    const dir = tempProject({
      '0001.sql': 'ALTER TABLE missing_1 ADD COLUMN a int;',
      '0002.sql': 'ALTER TABLE missing_2 ADD COLUMN a int;',
      '0003.sql': 'ALTER TABLE missing_3 ADD COLUMN a int;',
    });
    const files = ['0001.sql', '0002.sql', '0003.sql'].map((name) => path.join(dir, name));
    const buffers = new Map<string, string>();
    const cache = new SchemaReplayCache({ readText: (file) => buffers.get(file) });
    const skippedFiles = (state: { skipped: readonly { file: string }[] }) =>
      state.skipped.map((entry) => path.basename(entry.file));
    const afterOne = cache.replay(dir, files.slice(0, 1));
    const afterThree = cache.replay(dir, files);
    // Migration 2 edited: the chain is replayed from migration 1, whose state was already extended once.
    buffers.set(
      files[1],
      'SELECT 1;\nALTER TABLE missing_2b ADD COLUMN a int;\nALTER TABLE missing_2c ADD COLUMN a int;',
    );
    const afterThreeEdited = cache.replay(dir, files);
    assert.deepStrictEqual(skippedFiles(afterOne), ['0001.sql']);
    assert.deepStrictEqual(skippedFiles(afterThree), ['0001.sql', '0002.sql', '0003.sql']);
    assert.deepStrictEqual(skippedFiles(afterThreeEdited), ['0001.sql', '0002.sql', '0002.sql', '0003.sql']);
    assert.deepStrictEqual(
      afterThreeEdited.skipped.map((entry) => entry.line),
      [1, 2, 3, 1],
    );
  });

  it('keeps only every 16th state of a CLI run: an earlier state asked for again is replayed from the checkpoint before it, equal to the first', () => {
    const names = Array.from({ length: 40 }, (_, i) => `${String(i + 1).padStart(4, '0')}.sql`);
    const dir = tempProject(
      Object.fromEntries(
        names.map((name, i) => [name, `CREATE TABLE t_${i} (id int);\nALTER TABLE missing_${i} ADD COLUMN a int;`]),
      ),
    );
    const files = names.map((name) => path.join(dir, name));
    const cache = new SchemaReplayCache({ assumeUnchanged: true });
    const firstStates = files.map((_, i) => cache.replay(dir, files.slice(0, i + 1)));
    for (const count of [3, 16, 17, 33, 39]) {
      const again = cache.replay(dir, files.slice(0, count));
      if (count % 16 === 0)
        assert.strictEqual(again, firstStates[count - 1], `the state after ${count} migrations is a checkpoint`);
      else assert.notStrictEqual(again, firstStates[count - 1], `the state after ${count} migrations was let go`);
      assert.deepStrictEqual(again.catalog, firstStates[count - 1].catalog);
      assert.deepStrictEqual(again.skipped, firstStates[count - 1].skipped);
    }
    assert.strictEqual(cache.replay(dir, files), firstStates[39], 'the newest state is kept');
  });

  it('uses the unsaved text of an open editor buffer', () => {
    const dir = tempProject({ '0001.sql': 'CREATE TABLE a (id int);', '0002.sql': 'SELECT 1;' });
    const buffers = new Map([
      [path.join(dir, '0001.sql'), 'CREATE TABLE a (id int);\nCREATE INDEX a_id_idx ON a (id);'],
    ]);
    const cache = new SchemaReplayCache({ readText: (file) => buffers.get(file) });
    const catalog = replayedCatalogFor(path.join(dir, '0002.sql'), defaultConfig(dir), cache).catalog;
    assert.deepStrictEqual(
      catalog.tables.get('public.a')?.indexes.map((i) => i.name),
      ['a_id_idx'],
    );
  });
});

describe('a pg_dump baseline followed by TS migrations', () => {
  const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'schema', 'baseline-then-ts');
  const archive = path.join(fixture, 'migrations', '1700000000002-ArchiveRecords.ts');
  before(() => initEngine());

  it('replays the configured schemaFile, then the TypeORM migrations before the file', async () => {
    const config = new ConfigCache().configFor(archive);
    const result = await catalogFor(archive, config, new SchemaSources());
    assert.deepStrictEqual(result.skipped, []);
    assert.strictEqual(result.source.kind === 'replay' && result.source.migrations.length, 2);
    assert.strictEqual(result.catalog.tables.size, 162);
    assert.ok(
      result.catalog.tables.get('public.visits_001')?.indexes.some((i) => i.name === 'visits_001_record_type_idx'),
    );
    assert.ok(result.catalog.tables.get('public.invoices_002')?.columns.some((c) => c.name === 'external_ref'));

    const diagnostics = lintText(archive, fs.readFileSync(archive, 'utf8'), {
      config,
      catalog: result.catalog,
    }).diagnostics.filter((d) => d.rule === 'unindexed-filter');
    assert.deepStrictEqual(
      diagnostics.map((d) => d.message.replace(/: .*/, '')),
      [
        'UPDATE public.invoices_002 filters rows that no index can find, so PostgreSQL scans the whole table while the statement holds its locks',
      ],
    );
    assert.match(
      diagnostics[0].message,
      /invoices_002_record_id_record_type_key, starts with record_id and has record_type only as its 2nd column/,
    );
  });

  it('gives the same schema when the baseline is the first file of the directory instead', async () => {
    const dir = tempProject({});
    fs.copyFileSync(BASELINE, path.join(dir, '1000000000000-baseline.sql'));
    for (const name of fs.readdirSync(path.join(fixture, 'migrations')))
      fs.copyFileSync(path.join(fixture, 'migrations', name), path.join(dir, name));
    const inDirectory = await catalogFor(
      path.join(dir, path.basename(archive)),
      defaultConfig(dir),
      new SchemaSources(),
    );
    const configured = await catalogFor(archive, new ConfigCache().configFor(archive), new SchemaSources());
    assert.deepStrictEqual(comparable(inDirectory.catalog), comparable(configured.catalog));
  });
});
