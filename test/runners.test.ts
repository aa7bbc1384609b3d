import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CodeAction, CodeActionRequest, Diagnostic } from 'vscode-languageserver-protocol/node';
import { runPreflight } from './support/cli';
import { LspTestClient, byRule } from './support/lsp-client';
import { REPO_ROOT } from './support/paths';

const FIXTURES = path.join(REPO_ROOT, 'test', 'runners');

/** The rules whose findings depend on what the runner makes a migration and a transaction. */
const RUNNER_RULES = new Set([
  'ban-concurrent-index-creation-in-transaction',
  'mixed-ddl-dml',
  'destructive-down',
  'ban-drop-table',
  'ban-drop-column',
  'alter-enum-add-value-in-transaction',
]);

interface Finding {
  file: string;
  /** The file's path below the linted directory: `up.sql` and `migration.sql` need their folder. */
  inDirectory: string;
  line: number;
  rule: string;
  message: string;
  help?: string;
}

/** `preflight lint DIR --format json` run in `cwd`, as CI runs it; the findings of RUNNER_RULES. */
function lint(cwd: string, directory: string): Finding[] {
  const run = runPreflight(['lint', directory, '--format', 'json', '--no-cache'], { cwd });
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  const report = JSON.parse(run.stdout) as {
    files: { path: string; diagnostics: { rule: string; line: number; message: string; help?: string }[] }[];
  };
  return report.files.flatMap((file) =>
    file.diagnostics
      .filter((d) => RUNNER_RULES.has(d.rule))
      .map((d) => ({
        file: path.basename(file.path),
        inDirectory: path.relative(directory, file.path).split(path.sep).join('/'),
        line: d.line,
        rule: d.rule,
        message: d.message,
        help: d.help,
      })),
  );
}

/** Runs `check` on a temporary copy of a fixture project (to add a config or let --fix write), removed after. */
function inCopyOf(fixture: string, check: (project: string) => void): void {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-runner-'));
  try {
    fs.cpSync(fixture, project, { recursive: true });
    check(project);
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}

/** The language server's diagnostics for `file` once published, after checking they are the CLI's findings for it. */
async function editorAgreesWithCli(
  client: LspTestClient,
  root: string,
  file: string,
): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
  const uri = await client.open(file);
  const diagnostics = await client.diagnostics(uri, (d) => d.length > 0);
  const cli = runPreflight(['lint', path.relative(root, file), '--format', 'json', '--no-cache'], { cwd: root });
  const expected = (JSON.parse(cli.stdout) as { files: { diagnostics: { rule: string; line: number }[] }[] }).files[0]
    .diagnostics;
  assert.deepStrictEqual(
    diagnostics.map((d) => `${d.range.start.line + 1} ${d.code}`).sort(),
    expected.map((d) => `${d.line} ${d.rule}`).sort(),
  );
  return { uri, diagnostics };
}

const summary = (findings: Finding[], rule: string) =>
  findings.filter((f) => f.rule === rule).map((f) => `${f.file}:${f.line}`);

/**
 * Each runner's fixture holds the same six migrations in its own layout and annotations: 1 creates a table (its
 * Down drops it), 2 builds an index CONCURRENTLY with the runner's no-transaction switch, 3 without it, 4 changes
 * the schema in Up and data in Down, 5 changes schema and data in one Up section, 6 builds two indexes
 * CONCURRENTLY in each section under the no-transaction switch.
 */
const RUNNERS: { runner: string; directory: string; files: string[]; pairWithoutTransaction: string[] }[] = [
  {
    runner: 'goose',
    directory: 'db/migrations',
    files: [
      '00001_create_orders.sql',
      '00002_orders_customer_index.sql',
      '00003_orders_status_index.sql',
      '00004_orders_status_default.sql',
      '00005_orders_priority.sql',
    ],
    // goose sends each statement of a NO TRANSACTION file on its own.
    pairWithoutTransaction: [],
  },
  {
    runner: 'dbmate',
    directory: 'db/migrations',
    files: [
      '20240101000001_create_orders.sql',
      '20240101000002_orders_customer_index.sql',
      '20240101000003_orders_status_index.sql',
      '20240101000004_orders_status_default.sql',
      '20240101000005_orders_priority.sql',
    ],
    // dbmate sends a section with one Exec: without its transaction, two statements are still one implicit block.
    pairWithoutTransaction: [2, 3, 6, 7].map((line) => `20240101000006_orders_pair_indexes.sql:${line}`),
  },
  {
    runner: 'sql-migrate',
    directory: 'migrations',
    files: [
      '1_create_orders.sql',
      '2_orders_customer_index.sql',
      '3_orders_status_index.sql',
      '4_orders_status_default.sql',
      '5_orders_priority.sql',
    ],
    pairWithoutTransaction: [],
  },
];

describe('SQL-file migration runners', function () {
  this.timeout(60_000);

  for (const { runner, directory, files, pairWithoutTransaction } of RUNNERS) {
    describe(runner, () => {
      const cwd = path.join(FIXTURES, runner);
      let findings: Finding[];
      before(() => {
        findings = lint(cwd, directory);
      });

      it(`bans CONCURRENTLY only in the section ${runner} wraps in a transaction, not under its no-transaction switch`, () => {
        const banned = summary(findings, 'ban-concurrent-index-creation-in-transaction');
        assert.deepStrictEqual(
          banned.filter((at) => !at.includes('pair_indexes')),
          [`${files[2]}:2`],
        );
      });

      it(`sends two CONCURRENTLY statements under ${runner}'s switch ${pairWithoutTransaction.length ? 'as one query: one implicit transaction block' : 'one by one'}`, () => {
        const banned = summary(findings, 'ban-concurrent-index-creation-in-transaction');
        assert.deepStrictEqual(
          banned.filter((at) => at.includes('pair_indexes')),
          pairWithoutTransaction,
        );
      });

      it(`flags DDL and DML in one Up section, not DDL in Up and DML in Down (separate ${runner} migrations)`, () => {
        assert.deepStrictEqual(summary(findings, 'mixed-ddl-dml'), [`${files[4]}:3`]);
      });

      it('lints the Down section as a down migration: destructive-down, not ban-drop-table as if the Up dropped it', () => {
        assert.deepStrictEqual(summary(findings, 'destructive-down'), [`${files[0]}:9`]);
        assert.match(
          findings.find((f) => f.rule === 'destructive-down')!.message,
          /^This down migration drops table public\.orders/,
        );
        assert.deepStrictEqual(summary(findings, 'ban-drop-table'), []);
        assert.deepStrictEqual(summary(findings, 'ban-drop-column'), []);
      });

      it(`--explain-runner names ${runner}, the annotation and the project's dependency on it`, () => {
        const run = runPreflight(['lint', '--explain-runner', directory], { cwd });
        assert.strictEqual(run.status, 0, run.stderr);
        const lines = run.stdout.trim().split('\n');
        assert.strictEqual(lines[0], `${directory}: ${runner}`);
        assert.match(lines[1], new RegExp(`annotations: 6 of 6 \\.sql files \\(e\\.g\\. ${files[0]} line 1: `));
        assert.match(run.stdout, new RegExp(`depends on \\S+ \\(${runner}\\)`));
      });
    });
  }

  /**
   * Runners with a per-file directive, one fixture each: 1 creates a table, 2 builds an index CONCURRENTLY under the
   * directive, 3 builds one next to another statement without it, 4 builds two under it, 5 changes schema and data
   * under it, 6 builds one CONCURRENTLY alone without it.
   */
  const FILE_DIRECTIVE_RUNNERS = [
    {
      runner: 'sqlx',
      directory: 'migrations',
      manifest: 'Cargo.toml',
      name: (n: number) => `2024010100000${n}`,
      directive: '-- no-transaction',
      sendsOneQuery: true,
    },
    {
      runner: 'atlas',
      directory: 'migrations',
      manifest: 'go.mod',
      name: (n: number) => `2024010100000${n}`,
      directive: '-- atlas:txmode none',
      sendsOneQuery: false,
    },
    {
      runner: 'graphile-migrate',
      directory: 'migrations/committed',
      manifest: 'package.json',
      name: (n: number) => `00000${n}`,
      directive: '--! no-transaction',
      sendsOneQuery: true,
    },
  ];
  for (const { runner, directory, manifest, name, directive, sendsOneQuery } of FILE_DIRECTIVE_RUNNERS) {
    describe(runner, () => {
      const cwd = path.join(FIXTURES, runner);
      let findings: Finding[];
      before(() => {
        findings = lint(cwd, directory);
      });
      const at = (n: number, line: number) =>
        `${name(n)}${runner === 'graphile-migrate' ? '' : `_${['', 'create_orders', 'orders_customer_index', 'orders_status_index', 'orders_pair_indexes', 'orders_priority', 'orders_placed_index'][n]}`}.sql:${line}`;

      it(`under \`${directive}\` ${sendsOneQuery ? 'the file is one query: CONCURRENTLY only alone, DDL and DML still one implicit transaction' : 'each statement runs on its own'}; without it, in ${runner}'s transaction (the project depends on ${runner})`, () => {
        const banned = [at(3, 1), ...(sendsOneQuery ? [at(4, 2), at(4, 3)] : []), at(6, 1)];
        assert.deepStrictEqual(summary(findings, 'ban-concurrent-index-creation-in-transaction'), banned);
        assert.deepStrictEqual(summary(findings, 'mixed-ddl-dml'), sendsOneQuery ? [at(5, 3)] : []);
      });

      it(`--explain-runner names ${runner} by its directive, and the files without it by the project's ${manifest}`, () => {
        const run = runPreflight(['lint', '--explain-runner', directory], { cwd });
        assert.strictEqual(run.status, 0, run.stderr);
        const lines = run.stdout.trim().split('\n');
        assert.strictEqual(lines[0], `${directory}: ${runner}`);
        assert.match(lines[1], /^ {2}annotations: 3 of 6 \.sql files \(e\.g\. /);
        assert.match(
          lines[2],
          new RegExp(
            `^ {2}also files around them: 3 of 6 \\.sql files \\(e\\.g\\. .*: (\\.\\./)+${manifest.replace('.', '\\.')} depends on `,
          ),
        );
        assert.match(run.stdout, new RegExp(`depends on \\S+ \\(${runner}\\)`));
      });

      it(`without a dependency on ${runner}, a lone CONCURRENTLY without the directive is unknown until "runner": "${runner}" is configured`, () => {
        inCopyOf(cwd, (project) => {
          fs.rmSync(path.join(project, manifest));
          const plain = lint(project, directory);
          assert.ok(
            !summary(plain, 'ban-concurrent-index-creation-in-transaction').includes(at(6, 1)),
            'unknown without the dependency or the config',
          );
          fs.writeFileSync(
            path.join(project, '.preflightrc.json'),
            JSON.stringify({ migrations: [{ path: directory, runner }] }),
          );
          const configured = lint(project, directory);
          assert.ok(summary(configured, 'ban-concurrent-index-creation-in-transaction').includes(at(6, 1)));
        });
      });
    });
  }

  describe('node-pg-migrate SQL files', () => {
    const cwd = path.join(FIXTURES, 'node-pg-migrate');
    let findings: Finding[];
    before(() => {
      findings = lint(cwd, 'migrations');
    });

    it('lints `-- Down Migration` as a down migration and apart from `-- Up Migration`; CONCURRENTLY fails in either, each in its transaction', () => {
      assert.deepStrictEqual(summary(findings, 'destructive-down'), ['1700000000001_create-orders.sql:9']);
      assert.deepStrictEqual(summary(findings, 'ban-drop-table'), []);
      assert.deepStrictEqual(summary(findings, 'mixed-ddl-dml'), []);
      assert.deepStrictEqual(summary(findings, 'ban-concurrent-index-creation-in-transaction'), [
        '1700000000003_orders-status-index.sql:2',
        '1700000000003_orders-status-index.sql:5',
      ]);
    });
  });

  describe('Liquibase formatted SQL', () => {
    it('runs each --changeset in its own transaction, none for runInTransaction:false', () => {
      const findings = lint(path.join(FIXTURES, 'liquibase'), 'db/changelog/sql');
      assert.deepStrictEqual(summary(findings, 'ban-concurrent-index-creation-in-transaction'), ['001-orders.sql:21']);
      // Changeset 2 changes the schema and changeset 3 the data: separate transactions. Changeset 6 does both.
      assert.deepStrictEqual(summary(findings, 'mixed-ddl-dml'), ['001-orders.sql:25']);
    });
  });

  describe('golang-migrate', () => {
    const cwd = path.join(FIXTURES, 'golang-migrate');
    let findings: Finding[];
    before(() => {
      findings = lint(cwd, 'db/migrations');
    });

    it('bans CONCURRENTLY in a file of several statements (one query, one implicit transaction), not in a file of it alone', () => {
      assert.deepStrictEqual(summary(findings, 'ban-concurrent-index-creation-in-transaction'), [
        '000003_orders_status_index.up.sql:1',
      ]);
      assert.deepStrictEqual(summary(findings, 'mixed-ddl-dml'), ['000004_orders_priority.up.sql:2']);
      assert.deepStrictEqual(summary(findings, 'destructive-down'), ['000001_create_orders.down.sql:1']);
    });

    it("--explain-runner names golang-migrate by the project's go.mod; by the file names alone it says sqlx names files so too", () => {
      const run = runPreflight(['lint', '--explain-runner', 'db/migrations'], { cwd });
      assert.strictEqual(run.status, 0, run.stderr);
      assert.match(
        run.stdout,
        /^db\/migrations: golang-migrate\n {2}files around them: 10 of 10 \.sql files \(e\.g\. [^\n]*: \.\.\/\.\.\/go\.mod depends on github\.com\/golang-migrate\/migrate\)/,
      );
      assert.match(run.stdout, /go\.mod depends on github\.com\/golang-migrate\/migrate \(golang-migrate\)/);
      inCopyOf(cwd, (project) => {
        fs.rmSync(path.join(project, 'go.mod'));
        const byName = runPreflight(['lint', '--explain-runner', 'db/migrations'], { cwd: project });
        assert.match(byName.stdout, /^db\/migrations: golang-migrate\n {2}file names: 10 of 10 \.sql files .*\(sqlx\)/);
      });
    });

    it('a file of one CREATE INDEX runs on its own once go.mod or "runner" names golang-migrate: CONCURRENTLY is a fix --fix applies', () => {
      const fixed = 'CREATE INDEX CONCURRENTLY orders_placed_idx ON orders (customer_id, status);\n';
      const fix = (project: string) => {
        const run = runPreflight(['lint', '--fix', '--format', 'json', 'db/migrations'], { cwd: project });
        assert.ok(run.status === 0 || run.status === 1, run.stderr);
        return fs.readFileSync(path.join(project, 'db', 'migrations', '000005_orders_placed_index.up.sql'), 'utf8');
      };
      inCopyOf(cwd, (project) => assert.strictEqual(fix(project), fixed, 'the project depends on golang-migrate'));
      inCopyOf(cwd, (project) => {
        fs.rmSync(path.join(project, 'go.mod'));
        assert.doesNotMatch(
          fix(project),
          /CONCURRENTLY/,
          'by file name alone (sqlx names files so too) the fix is not applied',
        );
        fs.writeFileSync(
          path.join(project, '.preflightrc.json'),
          JSON.stringify({ migrations: [{ path: 'db/migrations', runner: 'golang-migrate' }] }),
        );
        assert.strictEqual(fix(project), fixed);
      });
    });
  });

  /**
   * Runners recognised by the files around their migrations, one fixture each in the runner's own layout: a table
   * created (and, where the runner has down migrations, dropped again), an index built CONCURRENTLY where the runner
   * runs it alone or outside its transaction, one built CONCURRENTLY where it does not, a schema change and a data
   * change in separate migrations, and both in one.
   */
  const DIRECTORY_RUNNERS: {
    runner: string;
    directory: string;
    evidence: RegExp;
    dependency: string;
    banned: string[];
    /** What the help of the first banned statement says to do, since the runner has no in-file switch. */
    advice: RegExp;
    mixed: string[];
    destructiveDown: string[];
  }[] = [
    {
      runner: 'flyway',
      directory: 'src/main/resources/db/migration',
      evidence: /: Flyway's V<version>__ \/ U<version>__ \/ R__ naming\)/,
      dependency: 'org.flywaydb',
      // V2 holds only CONCURRENTLY (Flyway leaves out its transaction), V4's .conf says executeInTransaction=false;
      // V3 mixes it with an ALTER (refused unless mixed=true), V8's .conf forces the transaction.
      banned: ['V3__orders_status_index.sql:2', 'V8__orders_note_index.sql:1'],
      advice: /create V3__orders_status_index\.sql\.conf beside this file holding `executeInTransaction=false`/,
      mixed: ['V5__orders_priority.sql:2'],
      destructiveDown: ['U1__create_orders.sql:1', 'U5__orders_priority.sql:1'],
    },
    {
      runner: 'drizzle',
      directory: 'drizzle',
      evidence: /meta\/_journal\.json in drizzle\/drizzle/,
      dependency: 'drizzle-kit',
      // drizzle-orm runs every pending migration in one transaction: CONCURRENTLY fails even alone in its file.
      banned: ['0001_orders_customer_index.sql:1'],
      advice: /runs every pending migration in one transaction and has no switch/,
      mixed: ['0004_orders_priority.sql:2'],
      destructiveDown: [],
    },
    {
      runner: 'prisma',
      directory: 'prisma/migrations',
      evidence: /migration_lock\.toml in prisma\/migrations/,
      dependency: 'prisma',
      banned: ['20240101000003_orders_status_index/migration.sql:5'],
      advice: /one query and has no switch: put this statement alone in a migration of its own/,
      mixed: ['20240101000006_orders_priority/migration.sql:4'],
      destructiveDown: [],
    },
    {
      runner: 'diesel',
      directory: 'migrations',
      evidence: /in migrations\/2024-01-01-000001_create_orders \(Diesel's migration folders\)/,
      dependency: 'diesel_migrations',
      // 000002 runs outside a transaction (metadata.toml); 000006 too, but each file of two statements is one query.
      banned: [
        '2024-01-01-000003_orders_status_index/up.sql:1',
        '2024-01-01-000006_orders_pair_indexes/down.sql:1',
        '2024-01-01-000006_orders_pair_indexes/down.sql:2',
        '2024-01-01-000006_orders_pair_indexes/up.sql:1',
        '2024-01-01-000006_orders_pair_indexes/up.sql:2',
      ],
      advice: /^Create 2024-01-01-000003_orders_status_index\/metadata\.toml holding `run_in_transaction = false`/,
      mixed: ['2024-01-01-000005_orders_priority/up.sql:2'],
      destructiveDown: ['2024-01-01-000001_create_orders/down.sql:1', '2024-01-01-000005_orders_priority/down.sql:1'],
    },
    {
      runner: 'supabase',
      directory: 'supabase/migrations',
      evidence: /supabase\/migrations \(the Supabase CLI's migrations folder\)/,
      dependency: 'supabase',
      banned: ['20240101000003_orders_status_index.sql:2'],
      advice: /one batch, one implicit transaction, and has no switch/,
      mixed: ['20240101000006_orders_priority.sql:2'],
      destructiveDown: [],
    },
  ];
  for (const { runner, directory, evidence, dependency, banned, advice, mixed, destructiveDown } of DIRECTORY_RUNNERS) {
    describe(`${runner}, recognised by the files around its migrations`, () => {
      const cwd = path.join(FIXTURES, runner);
      let findings: Finding[];
      before(() => {
        findings = lint(cwd, directory);
      });
      const at = (rule: string) => findings.filter((f) => f.rule === rule).map((f) => `${f.inDirectory}:${f.line}`);

      it(`bans CONCURRENTLY only where ${runner} runs it in a transaction block, and says what to do without an in-file switch`, () => {
        assert.deepStrictEqual(at('ban-concurrent-index-creation-in-transaction'), banned);
        assert.match(
          findings.find((f) => f.rule === 'ban-concurrent-index-creation-in-transaction')!.help ?? '',
          advice,
        );
      });

      it(`flags DDL and DML in one ${runner} migration, not a schema change and a data change in separate ones`, () => {
        assert.deepStrictEqual(at('mixed-ddl-dml'), mixed);
      });

      it('lints a down migration as one: destructive-down, not ban-drop-table or ban-drop-column', () => {
        assert.deepStrictEqual(at('destructive-down'), destructiveDown);
        assert.deepStrictEqual(at('ban-drop-table'), []);
        assert.deepStrictEqual(at('ban-drop-column'), []);
      });

      it(`--explain-runner names ${runner}, the files that say so, what it sends itself and the project's dependency`, () => {
        const run = runPreflight(['lint', '--explain-runner', directory], { cwd });
        assert.strictEqual(run.status, 0, run.stderr);
        const lines = run.stdout.trim().split('\n');
        assert.strictEqual(lines[0], `${directory}: ${runner}`);
        const around = run.stdout
          .split('\n')
          .find((line) => /^ {2}(also )?files around them: \d+ of \d+ \.sql files \(e\.g\. /.test(line));
        assert.match(around ?? run.stdout, evidence);
        assert.match(run.stdout, new RegExp(`\\n {2}${runner} itself sends: `));
        assert.match(run.stdout, new RegExp(`depends on ${dependency.replace(/[.]/g, '\\.')} \\(${runner}\\)`));
      });
    });
  }

  describe('Flyway and Diesel settings beside a migration', () => {
    it('--explain-runner names the .sql.conf and metadata.toml files that take a migration out of its transaction', () => {
      const flyway = runPreflight(['lint', '--explain-runner', 'src/main/resources/db/migration'], {
        cwd: path.join(FIXTURES, 'flyway'),
      });
      assert.match(
        flyway.stdout,
        /\n {2}V4__orders_placed_index\.sql\.conf runs V4__orders_placed_index\.sql outside a transaction\n/,
      );
      assert.match(
        flyway.stdout,
        /\n {2}V8__orders_note_index\.sql\.conf runs V8__orders_note_index\.sql in a transaction\n/,
      );
      const diesel = runPreflight(['lint', '--explain-runner', 'migrations'], { cwd: path.join(FIXTURES, 'diesel') });
      assert.match(
        diesel.stdout,
        /\n {2}2024-01-01-000002_orders_customer_index\/metadata\.toml runs down\.sql and up\.sql outside a transaction\n/,
      );
    });

    it('a cached lint is not reused once a metadata.toml beside the migration takes it out of its transaction', () => {
      inCopyOf(path.join(FIXTURES, 'diesel'), (project) => {
        const banned = () => {
          const run = runPreflight(['lint', 'migrations', '--format', 'json'], { cwd: project });
          assert.ok(run.status === 0 || run.status === 1, run.stderr);
          const report = JSON.parse(run.stdout) as { files: { path: string; diagnostics: { rule: string }[] }[] };
          return report.files
            .filter((f) => f.diagnostics.some((d) => d.rule === 'ban-concurrent-index-creation-in-transaction'))
            .map((f) => path.relative('migrations', f.path).split(path.sep).join('/'));
        };
        assert.ok(banned().includes('2024-01-01-000003_orders_status_index/up.sql'));
        fs.writeFileSync(
          path.join(project, 'migrations', '2024-01-01-000003_orders_status_index', 'metadata.toml'),
          'run_in_transaction = false\n',
        );
        assert.ok(!banned().includes('2024-01-01-000003_orders_status_index/up.sql'));
      });
    });

    it('a .sql.conf forcing the transaction on a lone CONCURRENTLY says to set it to false (flyway/flyway#3854)', () => {
      const findings = lint(path.join(FIXTURES, 'flyway'), 'src/main/resources/db/migration');
      const forced = findings.find(
        (f) => f.file === 'V8__orders_note_index.sql' && f.rule === 'ban-concurrent-index-creation-in-transaction',
      );
      assert.match(forced?.help ?? '', /^V8__orders_note_index\.sql\.conf says `executeInTransaction=true`/);
    });

    it('"runner": "drizzle" configured on a directory without meta/_journal.json runs the file in its one transaction', () => {
      inCopyOf(path.join(FIXTURES, 'drizzle'), (project) => {
        fs.rmSync(path.join(project, 'drizzle', 'meta'), { recursive: true });
        const plain = lint(project, 'drizzle');
        assert.ok(
          !summary(plain, 'ban-concurrent-index-creation-in-transaction').includes('0001_orders_customer_index.sql:1'),
          'unknown without evidence',
        );
        fs.writeFileSync(
          path.join(project, '.preflightrc.json'),
          JSON.stringify({ migrations: [{ path: 'drizzle', runner: 'drizzle' }] }),
        );
        const configured = lint(project, 'drizzle');
        assert.deepStrictEqual(summary(configured, 'ban-concurrent-index-creation-in-transaction'), [
          '0001_orders_customer_index.sql:1',
        ]);
      });
    });
  });

  describe('configured runner', () => {
    let project: string;
    beforeEach(() => {
      project = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-runner-'));
      fs.cpSync(path.join(FIXTURES, 'goose'), project, { recursive: true });
    });
    afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

    it('"runner": "psql" on a migrations entry overrides the annotations: the file is one script, NO TRANSACTION means nothing', () => {
      fs.writeFileSync(
        path.join(project, '.preflightrc.json'),
        JSON.stringify({ migrations: [{ path: 'db/migrations', runner: 'psql' }] }),
      );
      const findings = lint(project, 'db/migrations');
      assert.ok(
        summary(findings, 'ban-concurrent-index-creation-in-transaction').includes('00002_orders_customer_index.sql:3'),
      );
      const explained = runPreflight(['lint', '--explain-runner', 'db/migrations'], { cwd: project });
      assert.match(
        explained.stdout,
        /^db\/migrations: psql\n {2}configured: "runner": "psql" on the migrations entry "db\/migrations"/,
      );
    });

    it('exits 2 naming the key for a runner it does not know', () => {
      fs.writeFileSync(
        path.join(project, '.preflightrc.json'),
        JSON.stringify({ migrations: [{ path: 'db/migrations', runner: 'flyaway' }] }),
      );
      const run = runPreflight(['lint', 'db/migrations'], { cwd: project });
      assert.strictEqual(run.status, 2);
      assert.match(run.stderr, /migrations\[0\]\.runner: must be one of "goose", "dbmate", .*"psql"/);
    });
  });

  describe('dry-run', () => {
    it('dry-runs the Up section of a goose file, not its Down section after it', () => {
      const run = runPreflight(['dry-run', 'db/migrations/00005_orders_priority.sql', '--format', 'json'], {
        cwd: path.join(FIXTURES, 'goose'),
      });
      assert.strictEqual(run.status, 0, run.stderr);
      const report = JSON.parse(run.stdout) as { outcome: string; statements: { line: number; status: string }[] };
      assert.deepStrictEqual(
        report.statements.map((s) => `${s.line} ${s.status}`),
        ['2 ok', '3 ok'],
      );
    });
  });

  describe('in the editor, with the runner recognised by the files around the migration', () => {
    let project: string;
    let client: LspTestClient;
    before(async () => {
      project = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-runner-'));
      fs.cpSync(path.join(FIXTURES, 'diesel'), project, { recursive: true });
      client = await LspTestClient.start(project);
    });
    after(async () => {
      await client.stop();
      fs.rmSync(project, { recursive: true, force: true });
    });

    it("gives the CLI's findings for a Diesel up.sql, and drops the CONCURRENTLY error once metadata.toml says run_in_transaction = false", async () => {
      const folder = path.join(project, 'migrations', '2024-01-01-000003_orders_status_index');
      const file = path.join(folder, 'up.sql');
      const { uri, diagnostics } = await editorAgreesWithCli(client, project, file);
      assert.strictEqual(byRule(diagnostics, 'ban-concurrent-index-creation-in-transaction').length, 1);

      // The next keystroke sees the new file beside the migration: the detection is cached per folder, not forever.
      fs.writeFileSync(path.join(folder, 'metadata.toml'), 'run_in_transaction = false\n');
      const text = fs.readFileSync(file, 'utf8');
      const version = await client.change(uri, `${text}\n`);
      const after = await client.diagnostics(uri, (_d, v) => v === version);
      assert.deepStrictEqual(byRule(after, 'ban-concurrent-index-creation-in-transaction'), []);
    });
  });

  describe('in the editor', () => {
    let client: LspTestClient;
    const root = path.join(FIXTURES, 'goose');
    before(async () => {
      client = await LspTestClient.start(root);
    });
    after(() => client.stop());

    it('gives the same findings as the CLI for a goose file, and a quick fix that adds `-- +goose NO TRANSACTION`', async () => {
      const file = path.join(root, 'db', 'migrations', '00003_orders_status_index.sql');
      const { uri, diagnostics } = await editorAgreesWithCli(client, root, file);
      const [banned] = byRule(diagnostics, 'ban-concurrent-index-creation-in-transaction');
      const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: banned.range,
        context: { diagnostics: [banned] },
      })) as CodeAction[];
      const fix = actions.find((action) => action.title === 'Add `-- +goose NO TRANSACTION`');
      assert.ok(fix, actions.map((a) => a.title).join(', '));
      assert.match(JSON.stringify(fix.edit), /"newText":"-- \+goose NO TRANSACTION\\n"/);
    });
  });
});
