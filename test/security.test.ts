import * as assert from 'assert';
import { promises as dns } from 'dns';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPORTERS } from '../server/src/report';
import { CliRun, runPreflight } from './support/cli';
import { dryRunOn, setUp } from './support/dry-run';
import { REPO_ROOT } from './support/paths';
import { connect, freshDatabase } from './support/postgres';
import { tempProject } from './support/schema';
import { assertNoPassword as assertNoPasswordIn, loginRole, trickyPassword } from './support/secrets';
import type { ClusterConnection } from '../server/src/dryrun/embedded-cluster';

/**
 * The guarantees of docs/security.md that the CLI and the dry-run engine keep, each against a real
 * PostgreSQL: passwords never leave Preflight, static analysis never runs the code it reads, a dry-run on a
 * server elsewhere needs consent, and statements whose effects escape the transaction are refused.
 */

const PASSWORD = trickyPassword('cli');
const ROLE = 'preflight_security_role';
const project = tempProject;

function assertNoPassword(what: string, output: string, password = PASSWORD): void {
  assertNoPasswordIn(what, output, password);
}

function urlFor(db: ClusterConnection, options: { password?: string; database?: string; host?: string } = {}): string {
  const password = options.password ?? PASSWORD;
  return `postgres://${ROLE}:${encodeURIComponent(password)}@${options.host ?? db.host}:${db.port}/${options.database ?? db.database}`;
}

const MIGRATIONS = {
  'migrations/0001_plans.sql': 'CREATE TABLE plans (id bigint PRIMARY KEY, tier text);\n',
  'migrations/0002_backfill.sql': "ALTER TABLE plans ADD COLUMN note text;\nUPDATE plans SET note = 'x';\nSELECT 1/0;\n",
};

describe('security: passwords never appear in any output', function () {
  this.timeout(300_000);
  let db: ClusterConnection;
  let dir: string;

  before(async () => {
    db = await freshDatabase('security');
    await setUp(db, `CREATE TABLE plans (id bigint PRIMARY KEY, tier text); INSERT INTO plans VALUES (1, 'a');`);
    await loginRole(ROLE, PASSWORD);
    dir = project(MIGRATIONS);
  });

  /** Runs the CLI in the project and returns everything it printed and every report file it wrote. */
  function outputsOf(args: string[], env: Record<string, string> = {}): { run: CliRun; text: string } {
    const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-security-reports-'));
    const reportArgs = args[0] === 'lint' || args[0] === 'check' ? Object.keys(REPORTERS).flatMap((f) => ['--report', `${f}=${path.join(reportDir, `report.${f}`)}`]) : [];
    const run = runPreflight([...args, ...reportArgs], { cwd: dir, env });
    const files = fs.readdirSync(reportDir).map((name) => `--- ${name}\n${fs.readFileSync(path.join(reportDir, name), 'utf8')}`);
    if (reportArgs.length > 0 && run.status !== 2) assert.strictEqual(files.length, Object.keys(REPORTERS).length, `${args.join(' ')}: ${run.stderr}`);
    return { run, text: [run.stdout, run.stderr, ...files].join('\n') };
  }

  it('in every lint and check format, with the schema read from the database and the dry-run merged in', () => {
    // Each run prints one format and writes all of them with --report.
    for (const command of [['lint', 'migrations'], ['lint', 'migrations', '--dry-run'], ['check', 'migrations']]) {
      const { run, text } = outputsOf([...command, '--database-url', urlFor(db)]);
      assert.strictEqual(run.status, 1, `${command.join(' ')}: ${run.stderr}`);
      if (command.length > 2 || command[0] === 'check') assert.match(text, /22012|division by zero/, 'the dry-run ran');
      assertNoPassword(command.join(' '), text);
    }
  });

  it('in every dry-run format and in `schema`, whichever source the password came from', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-security-home-'));
    const escapedForPgpass = PASSWORD.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
    fs.writeFileSync(path.join(home, '.pgpass'), `${db.host}:${db.port}:*:${ROLE}:${escapedForPgpass}\n`, { mode: 0o600 });
    fs.writeFileSync(path.join(home, 'services.conf'), `[security]\nhost=${db.host}\nport=${db.port}\ndbname=${db.database}\nuser=${ROLE}\npassword=${PASSWORD}\n`, { mode: 0o600 });
    const withoutPassword = `postgres://${ROLE}@${db.host}:${db.port}/${db.database}`;
    const sources: [string, string[], Record<string, string>][] = [
      ['URL', ['--database-url', urlFor(db)], {}],
      ['PGPASSWORD', ['--database-url', 'env'], { PGHOST: db.host, PGPORT: String(db.port), PGUSER: ROLE, PGDATABASE: db.database, PGPASSWORD: PASSWORD }],
      ['~/.pgpass', ['--database-url', withoutPassword], { HOME: home }],
      ['service file', [], { PGSERVICEFILE: path.join(home, 'services.conf'), PGSERVICE: 'security' }],
    ];
    for (const [source, args, env] of sources) {
      for (const format of ['pretty', 'json', 'markdown']) {
        const { run, text } = outputsOf(['dry-run', 'migrations/0002_backfill.sql', '--format', format, ...args], env);
        assert.strictEqual(run.status, 1, `dry-run (${source}, ${format}): ${run.stderr}`);
        assert.match(text, /22012|division by zero/);
        assertNoPassword(`dry-run with the password from ${source} (${format})`, text);
      }
    }
    for (const format of ['pretty', 'json']) {
      const { run, text } = outputsOf(['schema', 'migrations/0002_backfill.sql', '--format', format, '--database-url', urlFor(db)]);
      assert.strictEqual(run.status, 0, run.stderr);
      assertNoPassword(`schema --format ${format}`, text);
    }
  });

  it('in error messages: wrong database, wrong password, unreachable or remote server, malformed URL', () => {
    const wrongPassword = `${PASSWORD}-wrong`;
    const cases: [string, string[], string][] = [
      ['no such database (dry-run)', ['dry-run', 'migrations/0002_backfill.sql', '--database-url', urlFor(db, { database: 'no_such_db' })], PASSWORD],
      ['no such database (check)', ['check', 'migrations', '--database-url', urlFor(db, { database: 'no_such_db' })], PASSWORD],
      ['no such database (schema)', ['schema', 'migrations', '--database-url', urlFor(db, { database: 'no_such_db' })], PASSWORD],
      ['wrong password (lint)', ['lint', 'migrations', '--database-url', urlFor(db, { password: wrongPassword })], wrongPassword],
      ['wrong password (dry-run)', ['dry-run', 'migrations/0002_backfill.sql', '--database-url', urlFor(db, { password: wrongPassword })], wrongPassword],
      ['unreachable', ['dry-run', 'migrations/0002_backfill.sql', '--database-url', `postgres://${ROLE}:${encodeURIComponent(PASSWORD)}@127.0.0.1:1/app`], PASSWORD],
      ['remote without --allow-remote', ['dry-run', 'migrations/0002_backfill.sql', '--database-url', urlFor(db, { host: 'db.example.com' })], PASSWORD],
      ['port out of range (lint)', ['lint', 'migrations', '--database-url', `postgres://${ROLE}:${encodeURIComponent(PASSWORD)}@127.0.0.1:99999/app`], PASSWORD],
      ['port out of range (dry-run)', ['dry-run', 'migrations/0002_backfill.sql', '--database-url', `postgres://${ROLE}:${encodeURIComponent(PASSWORD)}@127.0.0.1:99999/app`], PASSWORD],
    ];
    for (const [what, args, password] of cases) {
      const run = runPreflight(args, { cwd: dir });
      assert.strictEqual(run.status, 2, `${what}: exit ${run.status}\n${run.stdout}${run.stderr}`);
      assert.strictEqual(run.stderr.trim().split('\n').length, 1, `${what}: one line, no stack trace:\n${run.stderr}`);
      assertNoPassword(what, run.stdout + run.stderr, password);
    }
  });

  it('is refused in a committed config: a connection URL of .preflightrc.json with a password is an error', () => {
    for (const url of [`postgres://app:${encodeURIComponent(PASSWORD)}@localhost/app`, `postgres://app@localhost/app?password=${encodeURIComponent(PASSWORD)}`]) {
      const configured = project({ ...MIGRATIONS, '.preflightrc.json': JSON.stringify({ connections: [{ name: 'staging', url }] }) });
      const run = runPreflight(['lint', 'migrations'], { cwd: configured });
      assert.strictEqual(run.status, 2, run.stdout + run.stderr);
      assert.match(run.stderr, /connections: \[0\] "staging": url must not contain a password; use PGPASSWORD or ~\/\.pgpass/);
      assertNoPassword('the config error', run.stdout + run.stderr);
    }
  });

  it('in crash output, when Preflight itself fails', () => {
    // A bug is simulated by replacing lintText (through NODE_OPTIONS=--require): the error quotes a
    // connection URL and PGPASSWORD, as an error from a driver might.
    const preload = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-crash-')), 'crash.js');
    fs.writeFileSync(
      preload,
      `const engine = require(${JSON.stringify(path.join(REPO_ROOT, 'out/server/src/lint/engine.js'))});
engine.lintText = () => { throw new Error('simulated bug near postgres://app:' + encodeURIComponent(process.env.PGPASSWORD) + '@db/app, password ' + process.env.PGPASSWORD); };
`,
    );
    const run = runPreflight(['lint', 'migrations'], { cwd: dir, env: { NODE_OPTIONS: `--require=${preload}`, PGPASSWORD: PASSWORD } });
    assert.strictEqual(run.status, 70, run.stderr);
    assert.match(run.stderr, /^preflight lint: internal error \(please report it\): Error: simulated bug near postgres:\/\/app:\*\*\*@db\/app, password \*\*\*/);
    assertNoPassword('crash output', run.stdout + run.stderr);
  });
});

describe('security: static analysis never executes the code it reads', function () {
  this.timeout(300_000);

  /** A migration project whose every JS/TS file would leave a marker, spawn a process and exit if it ran. */
  function evilProject(): { dir: string; markers: string } {
    const markers = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-markers-'));
    const payload = (name: string) =>
      `require('fs').writeFileSync(${JSON.stringify(path.join(markers, name))}, 'ran');\n` +
      `require('child_process').execSync('touch ${path.join(markers, `${name}.spawned`)}');\n` +
      'process.exit(42);\n';
    const dir = project({
      'migrations/0000_plans.sql': 'CREATE TABLE plans (id int);\n',
      'knexfile.js': payload('knexfile'),
      '.sequelizerc': payload('sequelizerc'),
      'migrations/side-effect.js': payload('imported'),
      'migrations/0001_plans.ts':
        `import './side-effect';\n${payload('top-level-ts')}export async function up(knex: any): Promise<void> {\n  ${payload('up')}` +
        "  await knex.raw('ALTER TABLE plans ADD COLUMN note text');\n  await knex.raw(\"UPDATE plans SET note = 'x'\");\n}\n",
      'migrations/0002_more.js':
        `${payload('top-level-js')}exports.up = async (knex) => { await knex.schema.alterTable('plans', (t) => t.text('more')); };\n` +
        `(async () => { ${payload('iife')} })();\n`,
      'migrations/0003_after.sql': 'ALTER TABLE plans ADD COLUMN later text;\n',
    });
    return { dir, markers };
  }

  it('lints, replays and dry-runs TS/JS migrations that would write files, spawn processes and exit', async () => {
    const { dir, markers } = evilProject();
    const lint = runPreflight(['lint', 'migrations', '--format', 'json'], { cwd: dir });
    assert.strictEqual(lint.status, 1, lint.stderr);
    const report = JSON.parse(lint.stdout) as { files: { path: string; diagnostics: { rule: string }[] }[] };
    const plans = report.files.find((f) => f.path.endsWith('0001_plans.ts'));
    assert.ok(plans?.diagnostics.some((d) => d.rule === 'mixed-ddl-dml'), 'the SQL was read statically');

    const schema = runPreflight(['schema', 'migrations/0003_after.sql', '--format', 'json'], { cwd: dir });
    assert.strictEqual(schema.status, 0, schema.stderr);
    assert.match(schema.stdout, /"note"/, 'the TS migration was replayed from its SQL');

    const db = await freshDatabase('noexec');
    await setUp(db, 'CREATE TABLE plans (id int)');
    const report2 = await dryRunOn(db, fs.readFileSync(path.join(dir, 'migrations/0001_plans.ts'), 'utf8'), { fileName: '0001_plans.ts' });
    assert.deepStrictEqual(report2.statements.map((s) => s.status), ['ok', 'ok']);

    assert.deepStrictEqual(fs.readdirSync(markers), [], 'user code ran');
  });
});

describe('security: dry-runs stay inside the transaction and on this machine', function () {
  this.timeout(120_000);

  it('refuses each statement of the issue whose effects escape the transaction, and none of them happens', async () => {
    const db = await freshDatabase('escape');
    await setUp(db, 'CREATE TABLE t (id int); INSERT INTO t VALUES (1);');
    const markers = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-escape-'));
    fs.chmodSync(markers, 0o777);
    const victim = await connect(db);
    const { rows } = await victim.query('SELECT pg_backend_pid() AS pid');
    try {
      const sql = [
        `COPY t TO PROGRAM 'touch ${markers}/copy-to-program';`,
        `COPY t FROM PROGRAM 'touch ${markers}/copy-from-program';`,
        `COPY t TO '${markers}/copy-to-file';`,
        "SELECT dblink_exec('dbname=postgres', 'CREATE DATABASE escaped');",
        "ALTER SYSTEM SET work_mem = '7MB';",
        `SELECT pg_terminate_backend(${rows[0].pid});`,
        `SELECT lo_export(lo_from_bytea(0, 'x'), '${markers}/lo-export');`,
        "DO $$ BEGIN PERFORM pg_reload_conf(); END $$;",
        'INSERT INTO t VALUES (2);',
        '',
      ].join('\n');
      const report = await dryRunOn(db, sql);
      const statuses = report.statements.map((s) => [s.status, (s.reason ?? '').slice(0, 8)]);
      assert.deepStrictEqual(statuses, [...Array(8).fill(['skipped', 'refused:']), ['ok', '']]);
      assert.deepStrictEqual(fs.readdirSync(markers), [], 'a refused statement ran on the server');
      assert.strictEqual((await victim.query('SELECT 1 AS alive')).rows[0].alive, 1, 'the other session was terminated');
      const { rows: settings } = await victim.query("SELECT count(*)::int AS n FROM pg_file_settings WHERE name = 'work_mem' AND setting = '7MB'");
      assert.strictEqual(settings[0].n, 0, 'ALTER SYSTEM wrote postgresql.auto.conf');
    } finally {
      await victim.end();
    }
  });

  it('refuses a setval that moves a sequence backwards on a connected database, and the sequence stays where it was', async () => {
    const db = await freshDatabase('sequences');
    await setUp(db, "CREATE TABLE orders (id serial PRIMARY KEY); SELECT setval('orders_id_seq', 1000);");
    const position = async () => {
      const client = await connect(db);
      try {
        return (await client.query("SELECT last_value::int AS v, is_called FROM orders_id_seq")).rows[0];
      } finally {
        await client.end();
      }
    };
    const backwards = [
      "SELECT setval('orders_id_seq', 1);",
      "SELECT setval('orders_id_seq', 1000, false);",
      "SELECT pg_catalog.setval('public.orders_id_seq'::regclass, 5);",
      "SELECT setval('orders_id_seq', (SELECT 1));",
      "SELECT setval(pg_get_serial_sequence('orders', 'id'), 1);",
      "WITH moved AS (SELECT setval('orders_id_seq', 7) AS v) SELECT v FROM moved;",
      "DO $$ BEGIN PERFORM setval('orders_id_seq', 1); END $$;",
      "PREPARE reset_ids AS SELECT setval('orders_id_seq', 1);",
    ];
    const report = await dryRunOn(db, `${backwards.join('\n')}\nINSERT INTO orders DEFAULT VALUES;\n`);
    assert.deepStrictEqual(
      report.statements.map((s) => [s.status, (s.reason ?? '').slice(0, 8)]),
      [...backwards.map(() => ['skipped', 'refused:']), ['ok', '']],
    );
    assert.match(report.statements[0].reason!, /moves sequence public\.orders_id_seq back .*duplicate key/);
    assert.match(report.statements[3].reason!, /not a constant/);
    assert.ok(!report.sideEffects.some((e) => e.kind === 'sequence' && /moved/.test(e.detail)), JSON.stringify(report.sideEffects));
    assert.deepStrictEqual(await position(), { v: 1001, is_called: true }, 'only the INSERT advanced the sequence');

    // A setval no parse tree shows (here in a function) runs, and the sequence is set forward again after ROLLBACK.
    const hidden = await dryRunOn(db, "CREATE FUNCTION reset_orders() RETURNS bigint LANGUAGE sql AS $$ SELECT setval('orders_id_seq', 1) $$;\nSELECT reset_orders();\n");
    assert.deepStrictEqual(hidden.statements.map((s) => s.status), ['ok', 'ok']);
    assert.match(hidden.sideEffects.find((e) => e.kind === 'sequence')?.detail ?? '', /moved back from 1001 to 1 .*set it forward again/);
    assert.deepStrictEqual(await position(), { v: 1001, is_called: true });

    // Forward it runs (later inserts skip values, which is harmless); ALTER SEQUENCE ... RESTART is rolled back.
    const forward = await dryRunOn(db, "SELECT setval('orders_id_seq', 2000);\nALTER SEQUENCE orders_id_seq RESTART;\nALTER SEQUENCE orders_id_seq RESTART WITH 1;\n");
    assert.deepStrictEqual(forward.statements.map((s) => s.status), ['ok', 'ok', 'ok']);
    assert.deepStrictEqual(await position(), { v: 2000, is_called: true });

    // Allowed, it runs and says so.
    const allowed = await dryRunOn(db, "SELECT setval('orders_id_seq', 1);\n", { allowSideEffects: true });
    assert.strictEqual(allowed.statements[0].status, 'ok');
    assert.match(allowed.sideEffects.find((e) => e.kind === 'sequence')?.detail ?? '', /moved from 2000 to 1/);
  });

  it('needs --allow-remote for a server not named as this machine, in dry-run, check and lint --dry-run', async function () {
    // The machine's host name resolves to a loopback address here, so the server is reachable (lint reads its
    // schema), but nothing in the name says it is this machine: the dry-run treats it as a server elsewhere.
    const host = os.hostname();
    const { address } = await dns.lookup(host, { family: 4 });
    if (!address.startsWith('127.')) this.skip();
    const db = await freshDatabase('remote');
    await setUp(db, 'CREATE TABLE plans (id bigint PRIMARY KEY, tier text)');
    const dir = project(MIGRATIONS);
    const remote = `postgres://${db.user}:${encodeURIComponent(db.password)}@${host}:${db.port}/${db.database}`;
    for (const args of [['dry-run', 'migrations/0002_backfill.sql'], ['check', 'migrations/0002_backfill.sql'], ['lint', 'migrations/0002_backfill.sql', '--dry-run']]) {
      const refused = runPreflight([...args, '--database-url', remote], { cwd: dir });
      assert.strictEqual(refused.status, 2, `${args.join(' ')}: ${refused.stdout}${refused.stderr}`);
      assert.match(refused.stderr, new RegExp(`${host} is not a local database server: .*--allow-remote`), args.join(' '));
      assert.strictEqual(refused.stdout, '', 'no report: nothing ran');
      const allowed = runPreflight([...args, '--database-url', remote, '--allow-remote'], { cwd: dir });
      assert.strictEqual(allowed.status, 1, `${args.join(' ')} --allow-remote: ${allowed.stderr}`);
      assert.match(allowed.stdout, /22012|division by zero/);
    }
  });
});
