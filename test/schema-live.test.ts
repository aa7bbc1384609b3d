import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultConfig } from '../server/src/config';
import { initEngine, lintText } from '../server/src/lint/engine';
import { parseMigration } from '../server/src/parse/migration';
import type { ClusterConnection } from '../server/src/dryrun/embedded-cluster';
import { SchemaSources, catalogFor } from '../server/src/schema/sources';
import { runPreflight } from './support/cli';
import { REPO_ROOT } from './support/paths';
import { connect, connectionUrl, freshDatabase } from './support/postgres';
import { BASELINE, comparable, replay } from './support/schema';

/** Runs a migration file's SQL on the database, as psql would (pg_dump's `\restrict` lines are psql-only). */
async function apply(connection: ClusterConnection, sql: string): Promise<void> {
  const client = await connect(connection);
  try {
    await client.query(
      sql
        .split('\n')
        .filter((line) => !line.startsWith('\\'))
        .join('\n'),
    );
  } finally {
    await client.end();
  }
}

async function liveCatalog(connection: ClusterConnection) {
  const config = defaultConfig(REPO_ROOT);
  return catalogFor(path.join(REPO_ROOT, 'x.sql'), config, new SchemaSources(), {
    databaseUrl: connectionUrl(connection),
  });
}

describe('schema from a live database (real PostgreSQL)', function () {
  this.timeout(120_000);
  before(() => initEngine());

  it('introspects a pg_dump baseline into the same catalog as its static replay', async () => {
    const db = await freshDatabase('schema');
    const text = fs.readFileSync(BASELINE, 'utf8');
    // A schema-only dump grants to roles it does not create.
    await apply(
      db,
      "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_reader') THEN CREATE ROLE app_reader; END IF; END $$;",
    );
    await apply(db, text);
    const live = await liveCatalog(db);
    assert.deepStrictEqual(comparable(live.catalog), comparable(replay([BASELINE, text]).catalog));
    assert.strictEqual(live.source.kind, 'database');
  });

  it('agrees with replay on renames, dropped columns, USING INDEX, exclusion and DO-block indexes, quoted names', async () => {
    const db = await freshDatabase('schema');
    const file = path.join(REPO_ROOT, 'test', 'fixtures', 'schema', 'parity.sql');
    const text = fs.readFileSync(file, 'utf8');
    await apply(db, text);
    const replayed = replay([file, text]);
    assert.deepStrictEqual(replayed.skipped, []);
    assert.deepStrictEqual(comparable((await liveCatalog(db)).catalog), comparable(replayed.catalog));
  });

  it('reads row estimates, and unindexed-filter reports tables under rowThreshold as info', async () => {
    const db = await freshDatabase('schema');
    await apply(
      db,
      `CREATE TABLE big (id bigint PRIMARY KEY, kind text);
       CREATE TABLE small (id bigint PRIMARY KEY, kind text);
       CREATE TABLE fresh (id bigint PRIMARY KEY, kind text);
       INSERT INTO big SELECT g, 'k' || (g % 10) FROM generate_series(1, 20000) g;
       INSERT INTO small SELECT g, 'k' FROM generate_series(1, 50) g;
       ANALYZE big; ANALYZE small;`,
    );
    const { catalog } = await liveCatalog(db);
    assert.strictEqual(catalog.tables.get('public.big')?.rowEstimate, 20000);
    assert.strictEqual(catalog.tables.get('public.small')?.rowEstimate, 50);
    assert.strictEqual(catalog.tables.get('public.fresh')?.rowEstimate, undefined, 'never analyzed: unknown, not zero');

    const text =
      "DELETE FROM big WHERE kind = 'k1';\nDELETE FROM small WHERE kind = 'k';\nDELETE FROM fresh WHERE kind = 'k';\n";
    const file = path.join(REPO_ROOT, 'x.sql');
    const findings = lintText(file, text, { config: defaultConfig(REPO_ROOT), catalog }).diagnostics.filter(
      (d) => d.rule === 'unindexed-filter',
    );
    assert.deepStrictEqual(
      findings.map((d) => [d.severity, /about ([\d,]+) rows/.exec(d.message)?.[1]]),
      [
        ['warning', '20,000'],
        ['info', '50'],
        ['warning', undefined],
      ],
    );
  });

  it('matches PostgreSQL on which deferred-trigger fixtures fail with pending trigger events', async () => {
    const folder = path.join(REPO_ROOT, 'test', 'rules', 'mixed-ddl-dml', 'deferred-audit-trigger');
    const read = (name: string) => fs.readFileSync(path.join(folder, name), 'utf8');
    const db = await freshDatabase('schema');
    await apply(db, read('0001_audit_schema.sql'));
    await apply(db, "INSERT INTO sync_lookup VALUES (gen_random_uuid(), gen_random_uuid(), 'Patient');");
    const { catalog } = replay([path.join(folder, '0001_audit_schema.sql'), read('0001_audit_schema.sql')]);
    const config = defaultConfig(folder);
    for (const name of [
      '0002_bad-update-then-alter.sql',
      '0003_bad-alter-then-update.sql',
      '0004_bad-update-then-alter-other-table.sql',
      '0006_bad-set-constraints-immediate.sql',
    ]) {
      const client = await connect(db);
      let failure: string | undefined;
      try {
        await client.query('BEGIN');
        for (const statement of parseMigration(name, read(name)).statements) await client.query(statement.text);
      } catch (error) {
        failure = (error as { code?: string }).code;
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
        await client.end();
      }
      const severity = lintText(path.join(folder, name), read(name), { config, catalog }).diagnostics.find(
        (d) => d.rule === 'mixed-ddl-dml',
      )?.severity;
      assert.strictEqual(
        severity === 'error',
        failure === '55006',
        `${name}: PostgreSQL ${failure ?? 'ran it'}, Preflight said ${severity}`,
      );
    }
  });

  it('preflight schema and lint take --database-url (a URL, a configured name, or env) and never print the password', async () => {
    const db = await freshDatabase('schema');
    await apply(db, 'CREATE TABLE accounts (id bigint PRIMARY KEY, region text NOT NULL);');
    const url = connectionUrl(db);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-live-'));
    const withoutPassword = `postgres://${db.user}@${db.host}:${db.port}/${db.database}`;
    fs.writeFileSync(
      path.join(dir, '.preflightrc.json'),
      JSON.stringify({ connections: [{ name: 'test', url: withoutPassword }] }),
    );
    fs.writeFileSync(path.join(dir, '0001_purge.sql'), "DELETE FROM accounts WHERE region = 'eu';\n");

    const schema = runPreflight(['schema', '0001_purge.sql', '--database-url', url, '--format', 'json'], { cwd: dir });
    assert.strictEqual(schema.status, 0, schema.stderr);
    const printed = JSON.parse(schema.stdout);
    assert.deepStrictEqual(
      printed.tables.map((t: { name: string }) => t.name),
      ['public.accounts'],
    );
    assert.ok(!schema.stdout.includes(db.password), 'the password is not printed');

    const lint = runPreflight(['lint', '0001_purge.sql', '--database-url', 'test', '--format', 'json'], {
      cwd: dir,
      env: { PGPASSWORD: db.password },
    });
    assert.strictEqual(lint.status, 1, lint.stderr);
    assert.deepStrictEqual(
      JSON.parse(lint.stdout).files[0].diagnostics.map((d: { rule: string }) => d.rule),
      ['unindexed-filter'],
    );

    const env = {
      PGHOST: db.host,
      PGPORT: String(db.port),
      PGUSER: db.user,
      PGPASSWORD: db.password,
      PGDATABASE: db.database,
      DATABASE_URL: '',
    };
    const fromEnv = runPreflight(['schema', '0001_purge.sql', '--database-url', 'env'], { cwd: dir, env });
    assert.strictEqual(fromEnv.status, 0, fromEnv.stderr);
    assert.match(fromEnv.stdout, /public\.accounts/);

    const unreachable = runPreflight(
      ['schema', '0001_purge.sql', '--database-url', `postgres://${db.user}:${db.password}@127.0.0.1:1/x`],
      { cwd: dir },
    );
    assert.strictEqual(unreachable.status, 2);
    assert.match(
      unreachable.stderr,
      /^preflight schema: cannot connect to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/x: /,
    );
    assert.ok(!unreachable.stderr.includes(db.password));
  });
});
