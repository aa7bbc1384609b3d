import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { ExecuteCommandRequest } from 'vscode-languageserver-protocol/node';
import { embeddedOnlyEnv } from './support/cli';
import { byRule, serverFor } from './support/lsp-client';
import { tempProject as schemaTempProject } from './support/schema';
import { CLI } from './support/paths';

/**
 * Files and config a pull request can plant: a FIFO (reading it blocks until a writer comes, forever in CI), a
 * symlink to /dev/zero (endless bytes: reading it whole grows memory without bound), files and folders the CLI
 * may not read, and config keys that are names of Object.prototype. Each must become a clear problem of its own
 * file (or exit 2 for config), and the rest of the run must still be reported. Every CLI run here is bounded: a
 * hang is killed and fails the test instead of stalling the suite.
 */
const MIXED = "ALTER TABLE plans ADD COLUMN tier text;\nUPDATE plans SET tier = 'basic';\n";
const RUN_BOUND_MS = 30_000;

interface BoundedRun {
  status: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** The real CLI, killed after RUN_BOUND_MS; as another OS user with `user` (through runuser). */
function preflightBounded(args: string[], options: { cwd: string; user?: string }): BoundedRun {
  const command = options.user
    ? ['runuser', '-u', options.user, '--', process.execPath, CLI, ...args]
    : [process.execPath, CLI, ...args];
  const run = spawnSync(command[0], command.slice(1), {
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: RUN_BOUND_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...embeddedOnlyEnv(), NO_COLOR: '1', GITHUB_ACTIONS: '', HOME: options.cwd },
  });
  const timedOut = (run.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return { status: run.status, stdout: run.stdout ?? '', stderr: run.stderr ?? '', timedOut };
}

interface JsonReport {
  files: { path: string; diagnostics: { rule: string; message: string }[] }[];
}

function problemsByPath(run: BoundedRun): Map<string, string[]> {
  assert.ok(!run.timedOut, `the run was killed after ${RUN_BOUND_MS} ms (hung or grew without bound)\n${run.stderr}`);
  assert.ok(!/internal error|\n\s+at /.test(run.stderr), `crash on stderr:\n${run.stderr}`);
  const report = JSON.parse(run.stdout) as JsonReport;
  return new Map(
    report.files.map((f) => [f.path.split(path.sep).join('/'), f.diagnostics.map((d) => `${d.rule}: ${d.message}`)]),
  );
}

/** The two endless files: a FIFO nobody writes to, and a symlink to /dev/zero. */
const HOSTILE_KINDS: { name: string; plant: (file: string) => void }[] = [
  { name: 'a FIFO', plant: (file) => execFileSync('mkfifo', [file]) },
  { name: 'a symlink to /dev/zero', plant: (file) => fs.symlinkSync('/dev/zero', file) },
];

describe('hostile files and config', function () {
  this.timeout(RUN_BOUND_MS + 10_000);
  const dirs: string[] = [];
  const tempProject = (files: Record<string, string>) => {
    const dir = schemaTempProject(files);
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) {
      execFileSync('chmod', ['-R', 'u+rwX', dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const kind of HOSTILE_KINDS) {
    describe(`${kind.name}`, () => {
      it('named on the command line is that file\'s problem ("not a regular file"), and the other file is linted', () => {
        const dir = tempProject({ 'good.sql': MIXED });
        kind.plant(path.join(dir, 'endless.sql'));
        const run = preflightBounded(['lint', 'endless.sql', 'good.sql', '--format', 'json', '--no-cache'], {
          cwd: dir,
        });
        const files = problemsByPath(run);
        assert.strictEqual(run.status, 1, run.stderr);
        assert.match(files.get('endless.sql')!.join('\n'), /^parse-error: .*not a regular file/);
        assert.ok(files.get('good.sql')!.some((d) => d.startsWith('mixed-ddl-dml')));
      });

      it('inside a migrations folder is reported, not skipped, and the migration after it is linted on the replayed schema', () => {
        const dir = tempProject({ 'db/0001_plans.sql': 'CREATE TABLE plans (id int);\n', 'db/0003_tier.sql': MIXED });
        kind.plant(path.join(dir, 'db/0002_endless.sql'));
        const run = preflightBounded(['lint', 'db', '--format', 'json', '--no-cache'], { cwd: dir });
        const files = problemsByPath(run);
        assert.deepStrictEqual([...files.keys()], ['db/0001_plans.sql', 'db/0002_endless.sql', 'db/0003_tier.sql']);
        assert.match(files.get('db/0002_endless.sql')!.join('\n'), /not a regular file/);
        assert.ok(files.get('db/0003_tier.sql')!.some((d) => d.startsWith('mixed-ddl-dml')));
      });

      it("as schemaFile is reported as the schema file's problem, and the migrations are linted", () => {
        const dir = tempProject({ '.preflightrc.json': '{"schemaFile": "schema.sql"}', 'db/0001_tier.sql': MIXED });
        kind.plant(path.join(dir, 'schema.sql'));
        const run = preflightBounded(['lint', 'db', '--format', 'json', '--no-cache'], { cwd: dir });
        const files = problemsByPath(run);
        assert.match(files.get('schema.sql')!.join('\n'), /not a regular file/);
        assert.ok(files.get('db/0001_tier.sql')!.some((d) => d.startsWith('mixed-ddl-dml')));
        const schema = preflightBounded(['schema', 'db/0001_tier.sql', '--format', 'json'], { cwd: dir });
        assert.ok(!schema.timedOut, schema.stderr);
        assert.match(schema.stdout, /not a regular file/);
      });

      it('as .preflightrc.json is a config error naming the file (exit 2), not a hang', () => {
        const dir = tempProject({ 'db/0001_tier.sql': MIXED });
        kind.plant(path.join(dir, '.preflightrc.json'));
        const run = preflightBounded(['lint', 'db', '--format', 'json', '--no-cache'], { cwd: dir });
        assert.ok(!run.timedOut, `killed after ${RUN_BOUND_MS} ms`);
        assert.strictEqual(run.status, 2, run.stderr);
        assert.match(
          run.stderr,
          /^preflight lint: .*\.preflightrc\.json: \(file\): cannot be read: not a regular file/,
        );
      });
    });
  }

  it('lints a symlink to a regular migration inside a migrations folder like the file itself', () => {
    const dir = tempProject({ 'shared/0002_tier.sql': MIXED, 'db/0001_plans.sql': 'CREATE TABLE plans (id int);\n' });
    fs.symlinkSync(path.join(dir, 'shared/0002_tier.sql'), path.join(dir, 'db/0002_tier.sql'));
    const files = problemsByPath(preflightBounded(['lint', 'db', '--format', 'json', '--no-cache'], { cwd: dir }));
    assert.ok(
      files.get('db/0002_tier.sql')!.some((d) => d.startsWith('mixed-ddl-dml')),
      JSON.stringify([...files]),
    );
  });

  it('reports an unreadable file and an unreadable folder as their own problems (permission denied) and lints the rest, as a non-root user', function () {
    const runner = permissionRunner();
    if ('skip' in runner) {
      console.log(`      skipped: ${runner.skip}`);
      this.skip();
    }
    const dir = tempProject({
      'db/0001_plans.sql': 'CREATE TABLE plans (id int);\n',
      'db/0002_secret.sql': 'SELECT 1;\n',
      'db/0003_locked/migration.sql': 'SELECT 1;\n',
      'db/0004_tier.sql': MIXED,
    });
    execFileSync('chmod', ['-R', 'a+rX', dir]);
    fs.chmodSync(path.join(dir, 'db/0002_secret.sql'), 0o000);
    fs.chmodSync(path.join(dir, 'db/0003_locked'), 0o000);
    const run = preflightBounded(['lint', 'db', '--format', 'json', '--no-cache'], { cwd: dir, user: runner.user });
    const files = problemsByPath(run);
    assert.strictEqual(run.status, 1, run.stderr);
    assert.match(files.get('db/0002_secret.sql')!.join('\n'), /cannot be read: permission denied/);
    assert.match(files.get('db/0003_locked')!.join('\n'), /cannot be read: permission denied/);
    assert.ok(files.get('db/0004_tier.sql')!.some((d) => d.startsWith('mixed-ddl-dml')));
  });

  describe('config keys', () => {
    const cases: [string, string, RegExp][] = [
      ['top-level __proto__', '{"__proto__": {"pgVersion": 3}}', /: __proto__: unknown key/],
      ['top-level constructor', '{"constructor": 1}', /: constructor: unknown key/],
      ['top-level toString', '{"toString": "x"}', /: toString: unknown key/],
      ['top-level hasOwnProperty', '{"hasOwnProperty": []}', /: hasOwnProperty: unknown key/],
      ['__proto__ in rules', '{"rules": {"__proto__": "off"}}', /: rules\.__proto__: unknown rule id/],
      ['constructor in rules', '{"rules": {"constructor": "error"}}', /: rules\.constructor: unknown rule id/],
      [
        'toString as a rule option',
        '{"rules": {"mixed-ddl-dml": ["error", {"toString": 1}]}}',
        /: rules\.mixed-ddl-dml\.toString: (unknown option|this rule takes no options)/,
      ],
      [
        '__proto__ as a rule option',
        '{"rules": {"mixed-ddl-dml": ["error", {"__proto__": {"polluted": 1}}]}}',
        /: rules\.mixed-ddl-dml\.__proto__: (unknown option|this rule takes no options)/,
      ],
      [
        '__proto__ in format',
        '{"format": {"__proto__": {"indent": 99}}}',
        /: format\.__proto__: unknown key \(known: keywordCase, indent, lineWidth\)/,
      ],
      [
        'constructor in a migrations entry',
        '{"migrations": [{"path": "db", "constructor": 1}]}',
        /: migrations\[0\]\.constructor: unknown key/,
      ],
      [
        '__proto__ in a connections entry',
        '{"connections": [{"name": "a", "url": "postgres://a@localhost/a", "__proto__": {}}]}',
        /: connections\[0\]\.__proto__: unknown key \(known: name, url\)/,
      ],
    ];
    for (const [name, config, message] of cases) {
      it(`rejects ${name} with exit 2 and a one-line message`, () => {
        const dir = tempProject({ '.preflightrc.json': config, 'db/0001_tier.sql': MIXED });
        const run = preflightBounded(['lint', 'db', '--format', 'json', '--no-cache'], { cwd: dir });
        assert.strictEqual(run.status, 2, `${run.stderr}${run.stdout.slice(0, 200)}`);
        assert.match(run.stderr, message);
        assert.strictEqual(run.stderr.trim().split('\n').length, 1, run.stderr);
      });
    }

    it('shortens a 3 MB key in its error message', () => {
      // (A 5 MB config is over the 4 MB cap of every file read, and refused as too large before it is parsed.)
      const key = 'k'.repeat(3 * 1024 * 1024);
      const dir = tempProject({ '.preflightrc.json': JSON.stringify({ [key]: 1 }), 'db/0001_tier.sql': MIXED });
      const run = preflightBounded(['lint', 'db', '--no-cache'], { cwd: dir });
      assert.strictEqual(run.status, 2, run.stderr.slice(0, 300));
      assert.ok(run.stderr.length < 1000, `${run.stderr.length} characters on stderr`);
      assert.match(run.stderr, /: k{60}…: unknown key/);
    });
  });

  describe('globs', () => {
    // `**/` repeated 30 times: a glob → RegExp conversion that emits `.*` for each backtracks through every way of
    // splitting the path among them (minutes per path). A linear-time matcher answers at once.
    const REPEATED = '**/'.repeat(30);

    it('matches an ignore glob of 30 repeated **/ segments against a long path at once', () => {
      const deep = `${'a/'.repeat(40)}0001_tier.sql`;
      const dir = tempProject({
        '.preflightrc.json': JSON.stringify({ ignore: [`${REPEATED}nothing.sql`, `${REPEATED}*_tier.sql`] }),
        [deep]: MIXED,
        'keep.sql': MIXED,
      });
      const files = problemsByPath(preflightBounded(['lint', '.', '--format', 'json', '--no-cache'], { cwd: dir }));
      assert.deepStrictEqual([...files.keys()], ['keep.sql']);
    });

    it('refuses a glob with more wildcards than a backtracking matcher answers at once (exit 2)', () => {
      const dir = tempProject({
        '.preflightrc.json': JSON.stringify({ auditTables: ['app.*a*a*a*b'] }),
        'db/0001_tier.sql': MIXED,
      });
      const run = preflightBounded(['lint', 'db', '--no-cache'], { cwd: dir });
      assert.strictEqual(run.status, 2, run.stderr);
      assert.match(run.stderr, /: auditTables: \[0\] "app\.\*a\*a\*a\*b" has 4 wildcards/);
    });

    it('matches an auditTables pattern of 30 repeated ** segments against a long table name at once', () => {
      // 63 bytes: the longest name PostgreSQL keeps.
      const table = `purged_${'x'.repeat(56)}`;
      // The last pattern that matches decides, so the two slow ones are tried first.
      const config = { auditTables: [`app.${table}`, `${'**'.repeat(30)}nothing`, `app.${'*'.repeat(30)}nothing`] };
      const dir = tempProject({
        '.preflightrc.json': JSON.stringify(config),
        'db/0001_purge.sql': `DELETE FROM app.${table} WHERE id = 1;\n`,
      });
      const files = problemsByPath(preflightBounded(['lint', 'db', '--format', 'json', '--no-cache'], { cwd: dir }));
      assert.ok(
        files.get('db/0001_purge.sql')!.some((d) => d.startsWith('audit-log-write')),
        JSON.stringify([...files]),
      );
    });
  });
});

describe('hostile files in the language server', function () {
  this.timeout(RUN_BOUND_MS);
  const server = serverFor({ 'db/0001_plans.sql': 'CREATE TABLE plans (id int);\n', 'db/0003_tier.sql': MIXED });

  it('lints the workspace with a FIFO and a symlink to /dev/zero among the migrations, each reported as not a regular file', async () => {
    execFileSync('mkfifo', [path.join(server.root, 'db/0002_fifo.sql')]);
    fs.symlinkSync('/dev/zero', path.join(server.root, 'db/0002_zero.sql'));
    const summary = await server.client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'preflight.server.lintWorkspace',
      arguments: [],
    });
    assert.strictEqual((summary as { files: number }).files, 4);
    for (const name of ['db/0002_fifo.sql', 'db/0002_zero.sql']) {
      const [problem] = await server.client.diagnostics(pathToFileURL(path.join(server.root, name)).href);
      assert.match(problem.message as string, /not a regular file/, name);
    }
    const tier = await server.client.diagnostics(pathToFileURL(path.join(server.root, 'db/0003_tier.sql')).href);
    assert.strictEqual(byRule(tier, 'mixed-ddl-dml').length, 1);
  });
});

/**
 * Whom to run the CLI as so that file permissions apply: root reads everything, so as root the CLI runs as
 * `nobody` through runuser; any other user runs it as itself.
 */
function permissionRunner(): { user?: string } | { skip: string } {
  if (process.getuid?.() !== 0) return {};
  // The checkout must be readable by nobody too (not under a 0700 home folder).
  const probe = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, CLI, '--help'], { encoding: 'utf8' });
  return probe.status === 0
    ? { user: 'nobody' }
    : { skip: 'running as root, and `runuser -u nobody` cannot run the CLI here, so permissions cannot be tested' };
}
