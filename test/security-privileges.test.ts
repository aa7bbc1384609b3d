import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { ExecuteCommandRequest } from 'vscode-languageserver-protocol/node';
import { ConfigCache } from '../server/src/config';
import { DryRunReport, dryRun, stopEmbeddedServer } from '../server/src/dryrun';
import { EmbeddedCluster } from '../server/src/dryrun/embedded-cluster';
import type { ClusterConnection } from '../server/src/dryrun/embedded-cluster';
import { runPreflight } from './support/cli';
import { LspTestClient, workspaceWith } from './support/lsp-client';
import { REPO_ROOT } from './support/paths';
import { connect, connectionUrl, freshDatabase } from './support/postgres';
import { tempProject } from './support/schema';

/**
 * docs/security.md, "Least privilege" and "Secrets never leave": the embedded PostgreSQL gets none of the
 * caller's environment and runs migrations as a role that cannot reach the server's files and programs;
 * a connected role that can is named in the report; secret-looking environment values are scrubbed from
 * every output and from the template cache. Each escape below bypasses the static refusal list on purpose
 * (dynamic SQL in a DO block), so what stops it is the role, not the list.
 */

/** A cache directory of its own, reachable by the postgres user when the tests run as root. */
function cacheDirectory(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-privileges-cache-'));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** A directory the server's OS user could write into, where an escape would leave its marker. */
function markerDirectory(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-privileges-markers-'));
  fs.chmodSync(dir, 0o777);
  return dir;
}

/** A value the scrubber must find wherever it appears; the migrations build it backwards, so their text never holds it. */
function ciToken(): string {
  return `ci-${crypto.randomBytes(16).toString('hex')}`;
}

const reversed = (text: string) => [...text].reverse().join('');

/** Ways out of the database, each hidden from the static refusal list by building its SQL at run time. */
function escapes(markers: string): Record<string, string> {
  return {
    'copy-program': `DO $$ BEGIN EXECUTE 'COPY (SELECT 1) TO ' || 'PROGRAM ''touch ${markers}/copy-program'''; END $$;\n`,
    'read-environ': `DO $$ DECLARE environ text; BEGIN EXECUTE 'SELECT pg_' || 'read_file(''/proc/' || pg_backend_pid() || '/environ'')' INTO environ; RAISE EXCEPTION 'environ: %', environ; END $$;\n`,
    'lo-export': `DO $$ BEGIN EXECUTE 'SELECT lo_' || 'export(lo_from_bytea(0, ''x''), ''${markers}/lo-export'')'; END $$;\n`,
    'copy-to-file': `DO $$ BEGIN EXECUTE 'COPY (SELECT 1) TO ' || '''${markers}/copy-to-file'''; END $$;\n`,
    superuser: 'ALTER ROLE CURRENT_USER SUPERUSER;\n',
    'grant-program': 'GRANT pg_execute_server_program TO CURRENT_USER;\n',
  };
}

describe('security: least privilege on the embedded PostgreSQL', function () {
  this.timeout(300_000);
  const cacheDir = cacheDirectory();
  const env = { PREFLIGHT_CACHE_DIR: cacheDir };

  function embeddedDryRun(file: string): Promise<DryRunReport> {
    return dryRun({ file, config: new ConfigCache().configFor(file), env, homeDir: cacheDir, embeddedIdleMs: 60_000 });
  }

  after(async () => {
    await stopEmbeddedServer();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it('starts PostgreSQL with none of the environment of the process that starts it: no PG* variables, no tokens', async () => {
    const planted = {
      CI_TOKEN: ciToken(),
      PGPASSWORD: ciToken(),
      AWS_SECRET_ACCESS_KEY: ciToken(),
      PGOPTIONS: '-c work_mem=7MB',
    };
    const saved = Object.fromEntries(Object.keys(planted).map((name) => [name, process.env[name]]));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-privileges-pg-'));
    fs.chmodSync(dataDir, 0o755);
    Object.assign(process.env, planted);
    let cluster: EmbeddedCluster;
    try {
      cluster = await EmbeddedCluster.start({
        dataDir,
        password: crypto.randomBytes(12).toString('hex'),
        persistent: false,
      });
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    try {
      const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
      for (const value of Object.values(planted))
        assert.ok(!environ.includes(value), `the server's environment holds ${value}`);
      const names = environ
        .split('\0')
        .filter(Boolean)
        .map((entry) => entry.slice(0, entry.indexOf('=')));
      assert.deepStrictEqual(
        names.filter((name) => !/^(LANG|LANGUAGE|LC_[A-Z]+|TZ)$/.test(name)),
        [],
        'only locale and time zone variables',
      );
    } finally {
      await cluster.stop();
    }
  });

  it('initialises a cluster with a password file that no other user can read at any moment', async () => {
    // A temporary directory like /tmp: anyone may enter it, so only a file's own mode protects it.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-privileges-tmp-'));
    fs.chmodSync(tmp, 0o1777);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-privileges-pg-'));
    fs.chmodSync(dataDir, 0o755);
    const password = crypto.randomBytes(12).toString('hex');
    const readable: string[] = [];
    // initdb reads the file for about a second: look every few milliseconds for one that others could read.
    const watch = setInterval(() => {
      for (const name of fs.readdirSync(tmp, { recursive: true }) as string[]) {
        const file = path.join(tmp, name);
        try {
          const stat = fs.statSync(file);
          if (stat.isFile() && (stat.mode & 0o044) !== 0 && fs.readFileSync(file, 'utf8').includes(password))
            readable.push(`${name} (mode ${(stat.mode & 0o777).toString(8)})`);
        } catch {
          // Removed meanwhile.
        }
      }
    }, 5);
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const cluster = await EmbeddedCluster.start({ dataDir, password, persistent: false });
      await cluster.stop();
    } finally {
      clearInterval(watch);
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
    }
    assert.deepStrictEqual([...new Set(readable)], []);
    assert.deepStrictEqual(fs.readdirSync(tmp), [], 'the password file is removed');
  });

  it('replays earlier migrations as a role that is not superuser and cannot reach server files or programs: each escape is not replayed, with permission denied', async () => {
    const markers = markerDirectory();
    const files: Record<string, string> = {};
    Object.entries(escapes(markers)).forEach(([name, sql], i) => (files[`migrations/000${i + 1}_${name}.sql`] = sql));
    files['migrations/0099_last.sql'] = 'SELECT 1;\n';
    const dir = tempProject(files);
    const report = await embeddedDryRun(path.join(dir, 'migrations/0099_last.sql'));
    assert.strictEqual(report.outcome, 'ok');
    assert.deepStrictEqual(report.database.replayed, []);
    assert.deepStrictEqual(
      report.database.notReplayed.map((entry) => entry.file),
      Object.keys(escapes(markers)).map((name, i) => `000${i + 1}_${name}.sql`),
    );
    for (const entry of report.database.notReplayed)
      assert.match(entry.reason, /permission denied.*SQLSTATE 42501/, entry.file);
    assert.deepStrictEqual(fs.readdirSync(markers), [], 'an escape ran on the server');
    assert.deepStrictEqual(report.database.serverAccess, [], 'the dry-run role can still reach the server');
  });

  it('dry-runs the checked migration as that role: each escape fails with permission denied, none is ok', async () => {
    const markers = markerDirectory();
    for (const [name, sql] of Object.entries(escapes(markers))) {
      const dir = tempProject({ [`migrations/0001_${name}.sql`]: sql });
      const report = await embeddedDryRun(path.join(dir, `migrations/0001_${name}.sql`));
      assert.strictEqual(report.outcome, 'failed', name);
      assert.strictEqual(report.statements[0].status, 'error', name);
      assert.strictEqual(report.statements[0].error?.code, '42501', `${name}: ${report.statements[0].error?.message}`);
      assert.match(report.statements[0].error!.message, /permission denied/, name);
      assert.notStrictEqual(report.database.user, 'postgres');
      assert.deepStrictEqual(report.database.serverAccess, [], name);
    }
    assert.deepStrictEqual(fs.readdirSync(markers), [], 'an escape ran on the server');
  });

  it('still replays what migrations commonly need: objects given to postgres or to roles they create, trusted extensions; an untrusted extension is reported as not replayed', async () => {
    const dir = tempProject({
      'migrations/0000_extensions.sql': 'CREATE EXTENSION IF NOT EXISTS citext;\n',
      'migrations/0001_baseline.sql':
        'CREATE SCHEMA billing;\nALTER SCHEMA billing OWNER TO postgres;\nCREATE TABLE billing.plans (id int PRIMARY KEY, code citext);\n' +
        'ALTER TABLE billing.plans OWNER TO postgres;\nGRANT SELECT ON billing.plans TO reporting;\n',
      'migrations/0002_owner.sql':
        'CREATE ROLE billing_owner NOLOGIN;\nALTER SCHEMA billing OWNER TO billing_owner;\nALTER TABLE billing.plans OWNER TO billing_owner;\n' +
        'CREATE TABLE accounts (id int);\nALTER TABLE accounts OWNER TO app_owner;\nCREATE EXTENSION IF NOT EXISTS pgcrypto;\n',
      'migrations/0003_dblink.sql': 'CREATE EXTENSION dblink;\n',
      'migrations/0004_check.sql':
        'INSERT INTO billing.plans VALUES (1, gen_random_uuid()::text);\nINSERT INTO accounts VALUES (1);\n',
    });
    const report = await embeddedDryRun(path.join(dir, 'migrations/0004_check.sql'));
    assert.deepStrictEqual(
      report.database.replayed,
      ['0000_extensions.sql', '0001_baseline.sql', '0002_owner.sql'],
      JSON.stringify(report.database.notReplayed),
    );
    assert.deepStrictEqual(
      report.database.notReplayed.map((entry) => entry.file),
      ['0003_dblink.sql'],
      JSON.stringify(report.database.notReplayed),
    );
    assert.match(report.database.notReplayed[0].reason, /permission denied to create extension "dblink"/);
    assert.strictEqual(report.outcome, 'ok', JSON.stringify(report.statements[0].error));
  });
});

describe('security: a connected role that can leave the database is named in the report', function () {
  this.timeout(120_000);

  /** The SQL of docs/security.md that creates a restricted role for dry-runs. */
  function recommendedSql(): string {
    const docs = fs.readFileSync(path.join(REPO_ROOT, 'docs/security.md'), 'utf8');
    const block = /## Least privilege[\s\S]*?```sql\n([\s\S]*?)```/.exec(docs);
    assert.ok(block, 'docs/security.md has the SQL of a restricted role');
    return block[1];
  }

  /** A login role on the test cluster, created by the SQL that docs/security.md recommends, plus `extra`. */
  async function restrictedRole(
    name: string,
    password: string,
    db: ClusterConnection,
    extra = '',
  ): Promise<ClusterConnection> {
    const admin = await connect(db);
    try {
      await admin.query(`DROP OWNED BY ${name}`).catch(() => undefined);
      await admin.query(`DROP ROLE IF EXISTS ${name}`);
      await admin.query('DO $$ BEGIN CREATE ROLE app_owner NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$');
      const sql = recommendedSql()
        .replace(/preflight_dry_run/g, name)
        .replace("PASSWORD '...'", `PASSWORD '${password}'`)
        .replace('ON DATABASE app ', `ON DATABASE ${db.database} `);
      await admin.query(`${sql}\n${extra}`);
    } finally {
      await admin.end();
    }
    return { ...db, user: name, password };
  }

  function dryRunOutputs(db: ClusterConnection): {
    json: DryRunReport;
    pretty: string;
    markdown: string;
    html: string;
  } {
    const dir = tempProject({ 'migrations/0001_plans.sql': 'CREATE TABLE plans (id int);\n' });
    const run = (format: string, command = 'dry-run') => {
      const result = runPreflight(
        [command, 'migrations/0001_plans.sql', '--format', format, '--database-url', connectionUrl(db)],
        { cwd: dir },
      );
      assert.ok(result.status === 0 || (command === 'check' && result.status === 1), result.stdout + result.stderr);
      return result.stdout;
    };
    // The HTML report exists for `check` (lint and dry-run in one page), not for `dry-run`.
    return {
      json: JSON.parse(run('json')) as DryRunReport,
      pretty: run('pretty'),
      markdown: run('markdown'),
      html: run('html', 'check'),
    };
  }

  it('says so in every dry-run format when the role is superuser or holds pg_execute_server_program, pg_read_server_files or pg_write_server_files', async () => {
    const db = await freshDatabase('privileged');
    const superuser = dryRunOutputs(db);
    assert.deepStrictEqual(superuser.json.database.serverAccess, ['superuser']);
    for (const text of [superuser.pretty, superuser.markdown, superuser.html]) {
      assert.match(
        text,
        /postgres is a superuser: a migration can run programs, read files and write files on the database server; dry-run with a restricted role \(docs\/security\.md\)/,
      );
    }

    const reader = dryRunOutputs(
      await restrictedRole(
        'preflight_reader_role',
        'reader-pw-1234',
        db,
        'GRANT pg_read_server_files, pg_execute_server_program TO preflight_reader_role;',
      ),
    );
    assert.deepStrictEqual(reader.json.database.serverAccess, ['pg_execute_server_program', 'pg_read_server_files']);
    assert.match(
      reader.pretty,
      /preflight_reader_role holds pg_execute_server_program and pg_read_server_files: a migration can run programs and read files on the database server/,
    );
    assert.match(
      reader.markdown,
      /preflight_reader_role holds pg_execute_server_program and pg_read_server_files: a migration can run programs and read files on the database server/,
    );
  });

  it('says nothing for the restricted role that docs/security.md recommends', async () => {
    const db = await freshDatabase('restricted');
    const restricted = dryRunOutputs(await restrictedRole('preflight_restricted_role', 'restricted-pw-1234', db));
    assert.strictEqual(restricted.json.outcome, 'ok');
    assert.deepStrictEqual(restricted.json.database.serverAccess, []);
    for (const text of [restricted.pretty, restricted.markdown, restricted.html])
      assert.doesNotMatch(text, /superuser|server_program|server_files/);
  });
});

describe('security: secret-looking environment values never leave', function () {
  this.timeout(300_000);
  const token = ciToken();
  /** Raises the token as a notice and as an error, without its text in the file. */
  const leaky =
    `DO $$ BEGIN RAISE NOTICE 'notice %', reverse('${reversed(token)}'); END $$;\n` +
    `DO $$ BEGIN RAISE EXCEPTION 'leak %', reverse('${reversed(token)}'); END $$;\n`;
  /**
   * Raises the environment the server was started with, where the CLI's token was before. The call is built
   * at run time, so the static refusal cannot see it and the embedded run lets it through: only the runner
   * role's missing rights stop it.
   */
  const environ =
    "DO $$ DECLARE leaked text; BEGIN EXECUTE 'SELECT encode(pg_read_' || 'binary_file(''/proc/' || pg_backend_pid() || '/environ''), ''escape'')' INTO leaked; RAISE EXCEPTION 'environ %', leaked; END $$;\n";
  let db: ClusterConnection;

  before(async () => {
    db = await freshDatabase('secrets');
  });

  function assertNoToken(what: string, text: string): void {
    assert.ok(!text.includes(token), `${what} holds the token:\n${text}`);
  }

  it('keeps a CI token of the CLI environment out of every dry-run format, on a connected database and on the embedded one', () => {
    const cacheDir = cacheDirectory();
    try {
      const dir = tempProject({ 'migrations/0001_leak.sql': leaky, 'migrations/0002_environ.sql': environ });
      const runs = [
        {
          what: 'on a connected database',
          file: 'migrations/0001_leak.sql',
          target: ['--database-url', connectionUrl(db)],
        },
        { what: 'on the embedded database', file: 'migrations/0001_leak.sql', target: [] },
        { what: "reading the embedded server's environment", file: 'migrations/0002_environ.sql', target: [] },
      ];
      for (const { what, file, target } of runs) {
        for (const format of ['pretty', 'json', 'markdown']) {
          const run = runPreflight(['dry-run', file, '--format', format, ...target], {
            cwd: dir,
            env: { CI_TOKEN: token, PREFLIGHT_CACHE_DIR: cacheDir },
          });
          assert.strictEqual(run.status, 1, `${what} (${format}): ${run.stderr}`);
          assertNoToken(`dry-run --format ${format} ${what}`, run.stdout + run.stderr);
          if (file.endsWith('leak.sql'))
            assert.match(run.stdout, /leak \*\*\*/, `the error is reported, scrubbed (${format}):\n${run.stdout}`);
          if (format === 'json' && file.endsWith('environ.sql'))
            assert.strictEqual((JSON.parse(run.stdout) as DryRunReport).statements[0].error?.code, '42501');
        }
      }
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('keeps a token of the language server environment out of its dry-run results and log', async () => {
    const root = workspaceWith({ 'db/0001_leak.sql': leaky });
    const client = await LspTestClient.start(root, undefined, { ...process.env, GITHUB_TOKEN: token });
    try {
      const uri = pathToFileURL(path.join(root, 'db/0001_leak.sql')).href;
      await client.open(path.join(root, 'db/0001_leak.sql'));
      const report = (await client.connection.sendRequest(ExecuteCommandRequest.type, {
        command: 'preflight.server.dryRun',
        arguments: [
          {
            uri,
            connection: {
              name: 'test',
              url: `postgres://${db.user}@${db.host}:${db.port}/${db.database}`,
              password: db.password,
            },
          },
        ],
      })) as DryRunReport;
      assert.strictEqual(report.statements[1].status, 'error');
      assert.match(report.statements[1].error!.message, /leak \*\*\*/);
      assertNoToken(
        'what the language server sent',
        JSON.stringify({ report, published: client.published, messages: client.messages, log: client.log }) +
          client.stderr,
      );
    } finally {
      await client.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('keeps secrets out of the template cache: a replay failure that quotes one is stored scrubbed', () => {
    const cacheDir = cacheDirectory();
    try {
      const dir = tempProject({ 'migrations/0001_leak.sql': leaky, 'migrations/0002_next.sql': 'SELECT 1;\n' });
      const run = runPreflight(['dry-run', 'migrations/0002_next.sql', '--format', 'json'], {
        cwd: dir,
        env: { CI_TOKEN: token, PREFLIGHT_CACHE_DIR: cacheDir },
      });
      assert.strictEqual(run.status, 0, run.stderr);
      const report = JSON.parse(run.stdout) as DryRunReport;
      assert.match(report.database.notReplayed[0]?.reason ?? '', /leak \*\*\*/);
      // The server stopped with the CLI (a checkpoint): the template's comment is in the data files, and nothing may hold the token.
      for (const name of fs.readdirSync(cacheDir, { recursive: true }) as string[]) {
        const file = path.join(cacheDir, name);
        if (fs.statSync(file).isFile())
          assert.ok(!fs.readFileSync(file).includes(token), `${name} in the cache holds the token`);
      }
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
