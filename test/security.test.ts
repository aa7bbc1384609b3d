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
  'migrations/0002_backfill.sql':
    "ALTER TABLE plans ADD COLUMN note text;\nUPDATE plans SET note = 'x';\nSELECT 1/0;\n",
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
    const reportArgs =
      args[0] === 'lint' || args[0] === 'check'
        ? Object.keys(REPORTERS).flatMap((f) => ['--report', `${f}=${path.join(reportDir, `report.${f}`)}`])
        : [];
    const run = runPreflight([...args, ...reportArgs], { cwd: dir, env });
    const files = fs
      .readdirSync(reportDir)
      .map((name) => `--- ${name}\n${fs.readFileSync(path.join(reportDir, name), 'utf8')}`);
    if (reportArgs.length > 0 && run.status !== 2)
      assert.strictEqual(files.length, Object.keys(REPORTERS).length, `${args.join(' ')}: ${run.stderr}`);
    return { run, text: [run.stdout, run.stderr, ...files].join('\n') };
  }

  it('in every lint and check format, with the schema read from the database and the dry-run merged in', () => {
    // Each run prints one format and writes all of them with --report.
    for (const command of [
      ['lint', 'migrations'],
      ['lint', 'migrations', '--dry-run'],
      ['check', 'migrations'],
    ]) {
      const { run, text } = outputsOf([...command, '--database-url', urlFor(db)]);
      assert.strictEqual(run.status, 1, `${command.join(' ')}: ${run.stderr}`);
      if (command.length > 2 || command[0] === 'check') assert.match(text, /22012|division by zero/, 'the dry-run ran');
      assertNoPassword(command.join(' '), text);
    }
  });

  it('in every dry-run format and in `schema`, whichever source the password came from', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-security-home-'));
    const escapedForPgpass = PASSWORD.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
    fs.writeFileSync(path.join(home, '.pgpass'), `${db.host}:${db.port}:*:${ROLE}:${escapedForPgpass}\n`, {
      mode: 0o600,
    });
    fs.writeFileSync(
      path.join(home, 'services.conf'),
      `[security]\nhost=${db.host}\nport=${db.port}\ndbname=${db.database}\nuser=${ROLE}\npassword=${PASSWORD}\n`,
      { mode: 0o600 },
    );
    const withoutPassword = `postgres://${ROLE}@${db.host}:${db.port}/${db.database}`;
    const sources: [string, string[], Record<string, string>][] = [
      ['URL', ['--database-url', urlFor(db)], {}],
      [
        'PGPASSWORD',
        ['--database-url', 'env'],
        { PGHOST: db.host, PGPORT: String(db.port), PGUSER: ROLE, PGDATABASE: db.database, PGPASSWORD: PASSWORD },
      ],
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
      const { run, text } = outputsOf([
        'schema',
        'migrations/0002_backfill.sql',
        '--format',
        format,
        '--database-url',
        urlFor(db),
      ]);
      assert.strictEqual(run.status, 0, run.stderr);
      assertNoPassword(`schema --format ${format}`, text);
    }
  });

  it('in error messages: wrong database, wrong password, unreachable or remote server, malformed URL', () => {
    const wrongPassword = `${PASSWORD}-wrong`;
    const cases: [string, string[], string][] = [
      [
        'no such database (dry-run)',
        ['dry-run', 'migrations/0002_backfill.sql', '--database-url', urlFor(db, { database: 'no_such_db' })],
        PASSWORD,
      ],
      [
        'no such database (check)',
        ['check', 'migrations', '--database-url', urlFor(db, { database: 'no_such_db' })],
        PASSWORD,
      ],
      [
        'no such database (schema)',
        ['schema', 'migrations', '--database-url', urlFor(db, { database: 'no_such_db' })],
        PASSWORD,
      ],
      [
        'wrong password (lint)',
        ['lint', 'migrations', '--database-url', urlFor(db, { password: wrongPassword })],
        wrongPassword,
      ],
      [
        'wrong password (dry-run)',
        ['dry-run', 'migrations/0002_backfill.sql', '--database-url', urlFor(db, { password: wrongPassword })],
        wrongPassword,
      ],
      [
        'unreachable',
        [
          'dry-run',
          'migrations/0002_backfill.sql',
          '--database-url',
          `postgres://${ROLE}:${encodeURIComponent(PASSWORD)}@127.0.0.1:1/app`,
        ],
        PASSWORD,
      ],
      [
        'remote without --allow-remote',
        ['dry-run', 'migrations/0002_backfill.sql', '--database-url', urlFor(db, { host: 'db.example.com' })],
        PASSWORD,
      ],
      [
        'port out of range (lint)',
        [
          'lint',
          'migrations',
          '--database-url',
          `postgres://${ROLE}:${encodeURIComponent(PASSWORD)}@127.0.0.1:99999/app`,
        ],
        PASSWORD,
      ],
      [
        'port out of range (dry-run)',
        [
          'dry-run',
          'migrations/0002_backfill.sql',
          '--database-url',
          `postgres://${ROLE}:${encodeURIComponent(PASSWORD)}@127.0.0.1:99999/app`,
        ],
        PASSWORD,
      ],
    ];
    for (const [what, args, password] of cases) {
      const run = runPreflight(args, { cwd: dir });
      assert.strictEqual(run.status, 2, `${what}: exit ${run.status}\n${run.stdout}${run.stderr}`);
      assert.strictEqual(run.stderr.trim().split('\n').length, 1, `${what}: one line, no stack trace:\n${run.stderr}`);
      assertNoPassword(what, run.stdout + run.stderr, password);
    }
  });

  it('is refused in a committed config: a connection URL of .preflightrc.json with a password is an error', () => {
    for (const url of [
      `postgres://app:${encodeURIComponent(PASSWORD)}@localhost/app`,
      `postgres://app@localhost/app?password=${encodeURIComponent(PASSWORD)}`,
    ]) {
      const configured = project({
        ...MIGRATIONS,
        '.preflightrc.json': JSON.stringify({ connections: [{ name: 'staging', url }] }),
      });
      const run = runPreflight(['lint', 'migrations'], { cwd: configured });
      assert.strictEqual(run.status, 2, run.stdout + run.stderr);
      assert.match(
        run.stderr,
        /connections: \[0\] "staging": url must not contain a password; use PGPASSWORD or ~\/\.pgpass/,
      );
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
    const run = runPreflight(['lint', 'migrations'], {
      cwd: dir,
      env: { NODE_OPTIONS: `--require=${preload}`, PGPASSWORD: PASSWORD },
    });
    assert.strictEqual(run.status, 70, run.stderr);
    assert.match(
      run.stderr,
      /^preflight lint: internal error \(please report it\): Error: simulated bug near postgres:\/\/app:\*\*\*@db\/app, password \*\*\*/,
    );
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
    assert.ok(
      plans?.diagnostics.some((d) => d.rule === 'mixed-ddl-dml'),
      'the SQL was read statically',
    );

    const schema = runPreflight(['schema', 'migrations/0003_after.sql', '--format', 'json'], { cwd: dir });
    assert.strictEqual(schema.status, 0, schema.stderr);
    assert.match(schema.stdout, /"note"/, 'the TS migration was replayed from its SQL');

    const db = await freshDatabase('noexec');
    await setUp(db, 'CREATE TABLE plans (id int)');
    const report2 = await dryRunOn(db, fs.readFileSync(path.join(dir, 'migrations/0001_plans.ts'), 'utf8'), {
      fileName: '0001_plans.ts',
    });
    assert.deepStrictEqual(
      report2.statements.map((s) => s.status),
      ['ok', 'ok'],
    );

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
        'DO $$ BEGIN PERFORM pg_reload_conf(); END $$;',
        'INSERT INTO t VALUES (2);',
        '',
      ].join('\n');
      const report = await dryRunOn(db, sql);
      const statuses = report.statements.map((s) => [s.status, (s.reason ?? '').slice(0, 8)]);
      assert.deepStrictEqual(statuses, [...Array(8).fill(['skipped', 'refused:']), ['ok', '']]);
      assert.deepStrictEqual(fs.readdirSync(markers), [], 'a refused statement ran on the server');
      assert.strictEqual(
        (await victim.query('SELECT 1 AS alive')).rows[0].alive,
        1,
        'the other session was terminated',
      );
      const { rows: settings } = await victim.query(
        "SELECT count(*)::int AS n FROM pg_file_settings WHERE name = 'work_mem' AND setting = '7MB'",
      );
      assert.strictEqual(settings[0].n, 0, 'ALTER SYSTEM wrote postgresql.auto.conf');
    } finally {
      await victim.end();
    }
  });

  it('refuses each bypass of the escape check found by the red-team pass, and none of them happens', async () => {
    const db = await freshDatabase('bypass');
    // dblink ships with the PostgreSQL of the tests: a call that escapes commits a row in `escaped` at once.
    await setUp(
      db,
      'CREATE EXTENSION dblink; CREATE TABLE escaped (what text); CREATE TABLE t (id int); INSERT INTO t VALUES (1);' +
        'CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;' +
        'CREATE TRIGGER audit AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION audit();',
    );
    const markers = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-bypass-'));
    fs.chmodSync(markers, 0o777);
    const victim = await connect(db);
    const { rows } = await victim.query('SELECT pg_backend_pid() AS pid');
    const conn = `host=${db.host} port=${db.port} dbname=${db.database} user=${db.user} password=${db.password}`;
    /** A dblink_exec call (its name written quoted, qualified or split) that commits `what` in `escaped` if it runs. */
    const escape = (what: string, name = 'dblink_exec') =>
      `${name}('${conn}', 'INSERT INTO escaped VALUES (''${what}'')')`;
    /** SQL as a string constant, for EXECUTE and query_to_xml. */
    const quoted = (sql: string) => `'${sql.replace(/'/g, "''")}'`;
    const refused = 'refused:';
    const cases: { name: string; sql: string[]; expect: string[] }[] = [
      { name: 'quoted name', sql: [`SELECT ${escape('quoted', '"dblink_exec"')};`], expect: [refused] },
      {
        name: 'schema-qualified name',
        sql: [`SELECT ${escape('qualified', 'public.dblink_exec')};`],
        expect: [refused],
      },
      { name: 'split by a comment', sql: [`SELECT ${escape('comment', 'dblink_exec/**/')};`], expect: [refused] },
      {
        name: 'quoted name in a DO block',
        sql: [`DO $$ BEGIN PERFORM ${escape('do-quoted', '"dblink_exec"')}; END $$;`],
        expect: [refused],
      },
      {
        name: 'split by a comment in a DO block',
        sql: [`DO $$ BEGIN PERFORM ${escape('do-comment', 'public.dblink_exec/**/')}; END $$;`],
        expect: [refused],
      },
      {
        name: 'in an IF condition of a DO block',
        sql: [`DO $$ BEGIN IF ${escape('do-if', '"dblink_exec"')} = '' THEN NULL; END IF; END $$;`],
        expect: [refused],
      },
      {
        name: 'constant EXECUTE in a DO block',
        sql: [`DO $$ BEGIN EXECUTE ${quoted(`SELECT ${escape('execute-constant', '"dblink_exec"')}`)}; END $$;`],
        expect: [refused],
      },
      {
        name: 'EXECUTE of a concatenation',
        sql: [
          `DO $$ BEGIN EXECUTE 'SELECT dblink' || ${quoted(`_exec('${conn}', 'INSERT INTO escaped VALUES (''concat'')')`)}; END $$;`,
        ],
        expect: [refused],
      },
      {
        name: 'EXECUTE of format()',
        sql: [
          `DO $$ BEGIN EXECUTE format('SELECT %s(%L, %L)', 'dblink_exec', ${quoted(conn)}, 'INSERT INTO escaped VALUES (''format'')'); END $$;`,
        ],
        expect: [refused],
      },
      {
        name: 'inside COPY (SELECT ...) TO STDOUT',
        sql: [`COPY (SELECT ${escape('copy-query')}) TO STDOUT;`],
        expect: [refused],
      },
      {
        name: 'DECLARE ... CURSOR FOR',
        sql: [`DECLARE c CURSOR FOR SELECT ${escape('cursor')};`, 'FETCH c;'],
        expect: [refused, 'error'],
      },
      {
        name: 'PREPARE then EXECUTE',
        sql: [`PREPARE p AS SELECT ${escape('prepare')};`, 'EXECUTE p;'],
        expect: [refused, 'error'],
      },
      {
        name: 'a column DEFAULT',
        sql: [`CREATE TABLE d (x text DEFAULT ${escape('default')});`, 'INSERT INTO d DEFAULT VALUES;'],
        expect: [refused, 'error'],
      },
      {
        name: 'a CHECK constraint',
        sql: [`ALTER TABLE t ADD CONSTRAINT c CHECK (${escape('check')} <> '');`],
        expect: [refused],
      },
      {
        name: 'ALTER ... TYPE ... USING',
        sql: [`ALTER TABLE t ALTER COLUMN id TYPE text USING ${escape('using')};`],
        expect: [refused],
      },
      {
        name: 'a view then selected',
        sql: [`CREATE VIEW v AS SELECT ${escape('view')} AS r;`, 'SELECT * FROM v;'],
        expect: [refused, 'error'],
      },
      {
        name: 'a rule',
        sql: [`CREATE RULE r AS ON INSERT TO t DO ALSO SELECT ${escape('rule')};`, 'INSERT INTO t VALUES (2);'],
        expect: [refused, 'ok'],
      },
      {
        name: 'an operator',
        sql: [
          'CREATE OPERATOR @@@ (function = dblink_exec, leftarg = text, rightarg = text);',
          `SELECT ${quoted(conn)} @@@ 'INSERT INTO escaped VALUES (''operator'')';`,
        ],
        expect: [refused, 'error'],
      },
      {
        name: 'query_to_xml',
        sql: [`SELECT query_to_xml(${quoted(`SELECT ${escape('query-to-xml')}`)}, true, false, '');`],
        expect: [refused],
      },
      {
        name: 'a SQL function created then called',
        sql: [
          `CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $f$ SELECT ${escape('sql-function')} $f$;`,
          'SELECT f();',
        ],
        expect: ['ok', refused],
      },
      {
        name: 'a PL/pgSQL function created then called',
        sql: [
          `CREATE FUNCTION g() RETURNS void LANGUAGE plpgsql AS $g$ BEGIN PERFORM ${escape('plpgsql-function')}; END $g$;`,
          'SELECT g();',
        ],
        expect: ['ok', refused],
      },
      {
        name: 'a BEGIN ATOMIC procedure created then called',
        sql: [`CREATE PROCEDURE pr() BEGIN ATOMIC SELECT ${escape('procedure')}; END;`, 'CALL pr();'],
        expect: ['ok', refused],
      },
      {
        name: 'a function called in field notation (t.f for f(t))',
        sql: [
          `CREATE FUNCTION fx(t) RETURNS text LANGUAGE sql AS $f$ SELECT ${escape('field-notation')} $f$;`,
          'SELECT t.fx FROM t;',
        ],
        expect: ['ok', refused],
      },
      {
        name: 'a function calling such a function, renamed, then called',
        sql: [
          `CREATE FUNCTION inner_f() RETURNS text LANGUAGE sql AS $f$ SELECT ${escape('nested')} $f$;`,
          'CREATE FUNCTION outer_f() RETURNS text LANGUAGE sql AS $f$ SELECT inner_f() $f$;',
          'ALTER FUNCTION outer_f() RENAME TO harmless;',
          'SELECT harmless();',
        ],
        expect: ['ok', 'ok', 'ok', refused],
      },
      {
        name: 'a trigger function',
        sql: [
          `CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN PERFORM ${escape('trigger')}; RETURN NEW; END $f$;`,
          'CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();',
          'INSERT INTO t VALUES (3);',
        ],
        expect: ['ok', refused, 'ok'],
      },
      {
        name: 'a function running a query it is given',
        sql: [
          'CREATE FUNCTION run(q text) RETURNS void LANGUAGE plpgsql AS $f$ BEGIN EXECUTE q; END $f$;',
          `SELECT run(${quoted(`SELECT ${escape('given')}`)});`,
        ],
        expect: ['ok', refused],
      },
      {
        name: 'COPY TO PROGRAM split by a comment in a DO block',
        sql: [`DO $$ BEGIN COPY t TO/**/PROGRAM 'touch ${markers}/do-copy'; END $$;`],
        expect: [refused],
      },
      {
        name: 'COPY TO PROGRAM built in a DO block',
        sql: [`DO $$ BEGIN EXECUTE 'COPY t TO ' || 'PROGRAM ''touch ${markers}/do-execute-copy'''; END $$;`],
        expect: [refused],
      },
      {
        name: 'a function replaced under a trigger the database already has',
        sql: [
          `CREATE OR REPLACE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN PERFORM ${escape('replaced')}; RETURN NEW; END $f$;`,
          'INSERT INTO t VALUES (5);',
        ],
        expect: [refused, 'ok'],
      },
      {
        name: "a read of the server's environment",
        sql: ["DO $$ BEGIN RAISE EXCEPTION '%', pg_read_file('/proc/self/environ'); END $$;"],
        expect: [refused],
      },
      {
        name: 'pg_catalog-qualified pg_terminate_backend in a DO block',
        sql: [`DO $$ BEGIN PERFORM pg_catalog."pg_terminate_backend"(${rows[0].pid}); END $$;`],
        expect: [refused],
      },
    ];
    try {
      const wrong: string[] = [];
      for (const { name, sql, expect } of cases) {
        const report = await dryRunOn(db, `${sql.join('\n')}\n`).catch((error: Error) => error);
        if (report instanceof Error) {
          wrong.push(`${name}: ${report.message.split('\n')[0]}`);
          continue;
        }
        const got = report.statements.map((s) =>
          s.status === 'skipped' && s.reason?.startsWith(refused) ? refused : s.status,
        );
        if (JSON.stringify(got) !== JSON.stringify(expect)) {
          wrong.push(
            `${name}: ${JSON.stringify(got)} (${report.statements.map((s) => s.reason ?? s.error?.message).join(' | ')})`,
          );
        }
      }
      assert.deepStrictEqual(wrong, [], 'bypasses that were not refused');
      assert.deepStrictEqual((await victim.query('SELECT what FROM escaped')).rows, [], 'dblink committed rows');
      assert.deepStrictEqual(fs.readdirSync(markers), [], 'a program ran on the server');
      assert.strictEqual(
        (await victim.query('SELECT 1 AS alive')).rows[0].alive,
        1,
        'the other session was terminated',
      );
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
        return (await client.query('SELECT last_value::int AS v, is_called FROM orders_id_seq')).rows[0];
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
    assert.ok(
      !report.sideEffects.some((e) => e.kind === 'sequence' && /moved/.test(e.detail)),
      JSON.stringify(report.sideEffects),
    );
    assert.deepStrictEqual(await position(), { v: 1001, is_called: true }, 'only the INSERT advanced the sequence');

    // A setval no parse tree shows (here in a function) runs, and the sequence is set forward again after ROLLBACK.
    const hidden = await dryRunOn(
      db,
      "CREATE FUNCTION reset_orders() RETURNS bigint LANGUAGE sql AS $$ SELECT setval('orders_id_seq', 1) $$;\nSELECT reset_orders();\n",
    );
    assert.deepStrictEqual(
      hidden.statements.map((s) => s.status),
      ['ok', 'ok'],
    );
    assert.match(
      hidden.sideEffects.find((e) => e.kind === 'sequence')?.detail ?? '',
      /moved back from 1001 to 1 .*set it forward again/,
    );
    assert.deepStrictEqual(await position(), { v: 1001, is_called: true });

    // Forward it runs (later inserts skip values, which is harmless); ALTER SEQUENCE ... RESTART is rolled back.
    const forward = await dryRunOn(
      db,
      "SELECT setval('orders_id_seq', 2000);\nALTER SEQUENCE orders_id_seq RESTART;\nALTER SEQUENCE orders_id_seq RESTART WITH 1;\n",
    );
    assert.deepStrictEqual(
      forward.statements.map((s) => s.status),
      ['ok', 'ok', 'ok'],
    );
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
    for (const args of [
      ['dry-run', 'migrations/0002_backfill.sql'],
      ['check', 'migrations/0002_backfill.sql'],
      ['lint', 'migrations/0002_backfill.sql', '--dry-run'],
    ]) {
      const refused = runPreflight([...args, '--database-url', remote], { cwd: dir });
      assert.strictEqual(refused.status, 2, `${args.join(' ')}: ${refused.stdout}${refused.stderr}`);
      assert.match(
        refused.stderr,
        new RegExp(`${host} is not a local database server: .*--allow-remote`),
        args.join(' '),
      );
      assert.strictEqual(refused.stdout, '', 'no report: nothing ran');
      const allowed = runPreflight([...args, '--database-url', remote, '--allow-remote'], { cwd: dir });
      assert.strictEqual(allowed.status, 1, `${args.join(' ')} --allow-remote: ${allowed.stderr}`);
      assert.match(allowed.stdout, /22012|division by zero/);
    }
  });
});
