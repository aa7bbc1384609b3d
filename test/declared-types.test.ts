import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigCache } from '../server/src/config';
import { initEngine, lintText } from '../server/src/lint/engine';
import { REPO_ROOT } from './support/paths';

/**
 * Database handles whose kind only the TypeScript type checker reveals (parse/declared-types.ts): the workspace's
 * declarations decide, the syntax path stays where there are none. The rule fixtures in
 * test/rules/pooled-advisory-lock (bad-pg-pool-imported-from-module.ts, ...) run in this repository, whose
 * node_modules has @types/pg and knex; these tests build workspaces with and without declarations.
 */
const POOLED_SERVICE = path.join(REPO_ROOT, 'test', 'rules', 'pooled-advisory-lock');
const POSTGRES_JS_TYPES = path.join(REPO_ROOT, 'test', 'fixtures', 'declared-types', 'postgres-js-types.d.ts');

function workspace(files: Record<string, string>, nodeModules?: 'repository' | 'postgres-js'): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-declared-types-')));
  for (const [relative, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), text);
  }
  if (nodeModules === 'repository')
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  if (nodeModules === 'postgres-js') {
    const types = path.join(root, 'node_modules', 'postgres', 'types');
    fs.mkdirSync(types, { recursive: true });
    fs.copyFileSync(POSTGRES_JS_TYPES, path.join(types, 'index.d.ts'));
    fs.writeFileSync(
      path.join(root, 'node_modules', 'postgres', 'package.json'),
      JSON.stringify({ name: 'postgres', version: '3.4.5', main: 'cjs/src/index.js', types: 'types/index.d.ts' }),
    );
  }
  return root;
}

function rulesFound(root: string, relative: string, text = fs.readFileSync(path.join(root, relative), 'utf8')) {
  const file = path.join(root, relative);
  const result = lintText(file, text, { config: new ConfigCache().configFor(file) });
  return result.diagnostics.map((d) => `${d.rule}@${text.slice(0, d.span.start).split('\n').length}`);
}

const POOLED_FILES = {
  'scripts/reset.ts': fs.readFileSync(path.join(POOLED_SERVICE, 'bad-pg-pool-imported-from-module.ts'), 'utf8'),
  'scripts/shared/database.ts': fs.readFileSync(path.join(POOLED_SERVICE, 'shared', 'database.ts'), 'utf8'),
};

const POSTGRES_JS_DATABASE = `import postgres from 'postgres';

export const client = postgres(process.env.DATABASE_URL!, { max: 10 });
`;

describe('database handles by declared types', () => {
  const roots: string[] = [];
  before(() => initEngine());
  after(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));
  const make = (files: Record<string, string>, nodeModules?: 'repository' | 'postgres-js') => {
    const root = workspace(files, nodeModules);
    roots.push(root);
    return root;
  };

  it('finds a pooled advisory lock through a pg Pool imported from the project module, given @types/pg', () => {
    const root = make(POOLED_FILES, 'repository');
    assert.ok(rulesFound(root, 'scripts/reset.ts').includes('pooled-advisory-lock@5'));
  });

  it('leaves the same imported handle unresolved, never guessed, where the workspace has no declarations', () => {
    const root = make(POOLED_FILES);
    assert.ok(!rulesFound(root, 'scripts/reset.ts').some((r) => r.startsWith('pooled-advisory-lock')));
  });

  it('reads the imported module again when it changes on disk', async () => {
    const root = make(POOLED_FILES, 'repository');
    assert.ok(rulesFound(root, 'scripts/reset.ts').includes('pooled-advisory-lock@5'));
    const database = path.join(root, 'scripts/shared/database.ts');
    // The module now exports one checked-out client: the lock and the unlock run on one connection.
    fs.writeFileSync(database, "import type { PoolClient } from 'pg';\nexport declare const db: PoolClient;\n");
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(database, later, later);
    // A checker trusts its view of the project's modules for a quarter of a second (parse/declared-types.ts).
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(!rulesFound(root, 'scripts/reset.ts').some((r) => r.startsWith('pooled-advisory-lock')));
  });

  it("lints the queries of a postgres-js handle imported under another name, by postgres-js's declarations", () => {
    const root = make(
      {
        'src/db.ts': POSTGRES_JS_DATABASE,
        'src/seed.ts': [
          "import { client } from './db';",
          '',
          'export async function resetDemoData(): Promise<void> {',
          '  await client`TRUNCATE demo_bookings`;',
          '  await client`INSERT INTO demo_bookings SELECT * FROM demo_booking_templates`;',
          '}',
          '',
        ].join('\n'),
      },
      'postgres-js',
    );
    assert.ok(rulesFound(root, 'src/seed.ts').includes('truncate-without-lock@4'));
  });

  it('keeps a postgres-js transaction of an imported handle one connection: TRUNCATE and reload in begin()', () => {
    const root = make(
      {
        'src/db.ts': POSTGRES_JS_DATABASE,
        'src/seed.ts': [
          "import { client } from './db';",
          '',
          'export async function resetDemoData(): Promise<void> {',
          '  await client.begin(async (tx) => {',
          '    await tx`TRUNCATE demo_bookings`;',
          '    await tx`INSERT INTO demo_bookings SELECT * FROM demo_booking_templates`;',
          '  });',
          '}',
          '',
        ].join('\n'),
      },
      'postgres-js',
    );
    const found = rulesFound(root, 'src/seed.ts');
    assert.ok(!found.some((r) => r.startsWith('truncate-without-lock')), found.join(', '));
    // The statements inside the transaction are read at all: the TRUNCATE's lock is judged.
    assert.ok(found.includes('require-lock-timeout@5'), found.join(', '));
  });
});
