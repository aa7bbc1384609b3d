import * as assert from 'assert';
import { runPreflight } from './support/cli';
import { tempProject } from './support/schema';

const MIGRATIONS = {
  'db/0001_init.sql':
    'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL);\nALTER TABLE partners ADD COLUMN x int;\n',
  'db/0002_index.sql': 'CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n',
  'db/0003_purge.sql': 'DELETE FROM orders WHERE customer_id = 1;\n',
};

describe('preflight schema (CLI process)', function () {
  this.timeout(60_000);

  it('prints the schema before a migration, with the statements it skipped and why', () => {
    const dir = tempProject(MIGRATIONS);
    const run = runPreflight(['schema', 'db/0002_index.sql'], { cwd: dir });
    assert.strictEqual(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Schema before db\/0002_index\.sql\nSource: replay of 1 migration in db\n/);
    assert.match(run.stdout, /\npublic\.orders\n {2}columns\n {4}id {11}bigint {2}not null\n/);
    assert.ok(
      !run.stdout.includes('orders_customer_id_idx'),
      'the index comes with the migration itself, not before it',
    );
    assert.match(
      run.stdout,
      /Skipped statements: 1\n +1 {2}ALTER TABLE of public\.partners, a table the model does not know\n +db\/0001_init\.sql:2\n/,
    );
  });

  it('prints the schema after a whole directory as JSON', () => {
    const dir = tempProject(MIGRATIONS);
    const run = runPreflight(['schema', 'db', '--format', 'json'], { cwd: dir });
    assert.strictEqual(run.status, 0, run.stderr);
    const printed = JSON.parse(run.stdout);
    assert.deepStrictEqual(printed.source, {
      kind: 'replay',
      directory: 'db',
      migrations: ['db/0001_init.sql', 'db/0002_index.sql', 'db/0003_purge.sql'],
    });
    assert.deepStrictEqual(
      printed.tables[0].indexes.map((i: { name: string }) => i.name),
      ['orders_pkey', 'orders_customer_id_idx'],
    );
    assert.deepStrictEqual(printed.skipped.count, 1);
  });

  it('explains bad input in one line with exit code 2', () => {
    const dir = tempProject(MIGRATIONS);
    const missing = runPreflight(['schema', 'nowhere/x.sql'], { cwd: dir });
    assert.deepStrictEqual(
      [missing.status, missing.stderr],
      [2, 'preflight schema: nowhere/x.sql: no such file or directory\n'],
    );
    const badUrl = runPreflight(['schema', 'db', '--database-url', 'staging'], { cwd: dir });
    assert.deepStrictEqual(
      [badUrl.status, badUrl.stderr],
      [
        2,
        'preflight schema: --database-url: "staging" is not a postgres:// URL, "env", or a connection named in config\n',
      ],
    );
  });
});
