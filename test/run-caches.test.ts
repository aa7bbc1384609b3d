import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { defaultConfig } from '../server/src/config';
import { initEngine } from '../server/src/lint/engine';
import { parseMigration } from '../server/src/parse/migration';
import { TextCache } from '../server/src/parse/text-cache';
import { SchemaReplayCache } from '../server/src/schema/cache';
import { MigrationListings, migrationsBefore } from '../server/src/schema/directory';
import { REPO_ROOT } from './support/paths';
import { tempProject } from './support/schema';

describe('one CLI run: each migration directory listed once, each migration replayed once', () => {
  before(() => initEngine());

  it('gives the same earlier migrations from one listing as from reading the directory each time', () => {
    const names = [
      'V10__c.sql',
      'V2__b.sql',
      '0042_b.sql',
      '0042_a.sql',
      '9_x.sql',
      '10_x.sql',
      'V1.1__a.sql',
      '0042_a.down.sql',
    ];
    const dir = tempProject(Object.fromEntries(names.map((name) => [name, 'SELECT 1;'])));
    const config = defaultConfig(dir);
    const listings = new MigrationListings();
    for (const name of [...names, '0001_first.sql', 'V3__new.sql', 'zzz.sql']) {
      const file = path.join(dir, name);
      assert.deepStrictEqual(migrationsBefore(dir, config, file, listings), migrationsBefore(dir, config, file), name);
    }
  });

  it('does not see a migration added after the directory was listed (files do not change during a run)', () => {
    const dir = tempProject({ '0001_a.sql': 'SELECT 1;' });
    const config = defaultConfig(dir);
    const listings = new MigrationListings();
    assert.strictEqual(migrationsBefore(dir, config, path.join(dir, '0009.sql'), listings).length, 1);
    fs.writeFileSync(path.join(dir, '0002_b.sql'), 'SELECT 1;');
    assert.strictEqual(migrationsBefore(dir, config, path.join(dir, '0009.sql'), listings).length, 1);
    assert.strictEqual(migrationsBefore(dir, config, path.join(dir, '0009.sql')).length, 2);
  });

  it('keeps the later replay steps when an earlier migration is asked for after a later one', () => {
    const dir = tempProject({
      '0001.sql': 'CREATE TABLE a (id int);',
      '0002.sql': 'CREATE TABLE b (id int);',
      '0003.sql': 'CREATE TABLE c (id int);',
    });
    const files = ['0001.sql', '0002.sql', '0003.sql'].map((f) => path.join(dir, f));
    const cache = new SchemaReplayCache({ assumeUnchanged: true });
    const afterThree = cache.replay(dir, files);
    const afterOne = cache.replay(dir, files.slice(0, 1));
    assert.deepStrictEqual([...afterOne.catalog.tables.keys()], ['public.a']);
    assert.strictEqual(cache.replay(dir, files), afterThree, 'files 2 and 3 are not replayed again');
  });
});

describe('parse results kept by statement text', () => {
  before(() => initEngine());

  it('re-parses only the statements an edit changed', () => {
    const text = 'CREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN b text;\nCREATE INDEX a_b ON a (b);\n';
    const edited = text.replace('b text', 'b varchar(20)');
    const before = parseMigration('0001.sql', text).statements;
    const after = parseMigration('0001.sql', `-- edited\n${edited}`).statements;
    assert.strictEqual(after[0].node, before[0].node);
    assert.notStrictEqual(after[1].node, before[1].node);
    assert.strictEqual(after[2].node, before[2].node);
    assert.strictEqual(
      after[2].fileSpan.start,
      '-- edited\n'.length + edited.indexOf('CREATE INDEX'),
      'a reused tree still gets its own place in the file',
    );
  });

  it('forgets the least recently used texts beyond its size, down to three quarters of it in one pass', () => {
    const computed: string[] = [];
    const cache = new TextCache<number>(12);
    const get = (text: string) => cache.get(text, (t) => (computed.push(t), t.length));
    get('aaaa');
    get('bbbb');
    get('cccc');
    get('aaaa');
    // 16 characters: bbbb and cccc, the least recently used, go (8 ≤ 9); aaaa, used since, stays.
    get('dddd');
    get('aaaa');
    get('dddd');
    get('cccc');
    assert.deepStrictEqual(computed, ['aaaa', 'bbbb', 'cccc', 'dddd', 'cccc']);
  });
});

/** The modules a `preflight lint` of these files loads, in a process of its own. */
function modulesLoadedByLint(files: Record<string, string>): string[] {
  const dir = tempProject(files);
  const script = `
      require(${JSON.stringify(path.join(REPO_ROOT, 'out', 'server', 'src', 'cli.js'))})
        .main(['lint', ${JSON.stringify(dir)}], { stdout() {}, stderr() {}, stdoutIsTTY: false, stderrIsTTY: false })
        .then(() => console.log(JSON.stringify(Object.keys(require.cache))));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

describe('what a lint of .sql files loads', () => {
  const sqlFiles = {
    '0001_init.sql': 'CREATE TABLE a (id int);',
    '0002_next.sql': 'ALTER TABLE a ADD COLUMN b text;',
  };

  it('never loads the TypeScript compiler or the language server', () => {
    const heavy = modulesLoadedByLint(sqlFiles).filter((file) =>
      /node_modules\/(typescript\/lib|vscode-languageserver)\//.test(file),
    );
    assert.deepStrictEqual(heavy, []);
  });

  // The ORM generators (server/src/parse/orm/) load with their framework, only for a file that makes such a call.
  it('loads neither knex nor Sequelize', () => {
    const orm = modulesLoadedByLint(sqlFiles).filter((file) => /node_modules\/(knex|sequelize)\//.test(file));
    assert.deepStrictEqual(orm, []);
  });

  // Loading them was a tenth of a cold run's start-up; only `lint --dry-run` and `check` run a dry-run.
  it('loads neither the dry-run engine nor pg without --dry-run', () => {
    const dryRun = modulesLoadedByLint(sqlFiles).filter((file) =>
      /node_modules\/pg\/|[\\/]server[\\/]src[\\/]dryrun[\\/](index|embedded|executor|session)\.js$/.test(file),
    );
    assert.deepStrictEqual(dryRun, []);
  });
});

// Sequelize's generator writes SQL with no connection: its postgres dialect would load pg only to connect, and
// loading pg costs ~30–60 ms per process or lint thread (its check for a Cloudflare runtime loads Node's fetch).
describe('what a lint of a Sequelize migration loads', () => {
  it('loads Sequelize to write the SQL of its calls, but not pg', () => {
    const loaded = modulesLoadedByLint({
      'migrations/20240101000000-add-total.js': `module.exports = {
        up: async (queryInterface, Sequelize) => {
          await queryInterface.addColumn('orders', 'total', { type: Sequelize.INTEGER, allowNull: false });
        },
      };`,
    });
    assert.ok(
      loaded.some((file) => /node_modules\/sequelize\//.test(file)),
      'Sequelize wrote the SQL',
    );
    assert.deepStrictEqual(
      loaded.filter((file) => /node_modules\/pg\//.test(file)),
      [],
    );
  });
});
