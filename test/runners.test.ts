import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CodeAction, CodeActionRequest } from 'vscode-languageserver-protocol/node';
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
  line: number;
  rule: string;
  message: string;
}

/** `preflight lint DIR --format json` run in `cwd`, as CI runs it; the findings of RUNNER_RULES. */
function lint(cwd: string, directory: string): Finding[] {
  const run = runPreflight(['lint', directory, '--format', 'json', '--no-cache'], { cwd });
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  const report = JSON.parse(run.stdout) as { files: { path: string; diagnostics: { rule: string; line: number; message: string }[] }[] };
  return report.files.flatMap((file) =>
    file.diagnostics
      .filter((d) => RUNNER_RULES.has(d.rule))
      .map((d) => ({ file: path.basename(file.path), line: d.line, rule: d.rule, message: d.message })),
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

const summary = (findings: Finding[], rule: string) => findings.filter((f) => f.rule === rule).map((f) => `${f.file}:${f.line}`);

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
    files: ['00001_create_orders.sql', '00002_orders_customer_index.sql', '00003_orders_status_index.sql', '00004_orders_status_default.sql', '00005_orders_priority.sql'],
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
    files: ['1_create_orders.sql', '2_orders_customer_index.sql', '3_orders_status_index.sql', '4_orders_status_default.sql', '5_orders_priority.sql'],
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
        assert.deepStrictEqual(banned.filter((at) => !at.includes('pair_indexes')), [`${files[2]}:2`]);
      });

      it(`sends two CONCURRENTLY statements under ${runner}'s switch ${pairWithoutTransaction.length ? 'as one query: one implicit transaction block' : 'one by one'}`, () => {
        const banned = summary(findings, 'ban-concurrent-index-creation-in-transaction');
        assert.deepStrictEqual(banned.filter((at) => at.includes('pair_indexes')), pairWithoutTransaction);
      });

      it(`flags DDL and DML in one Up section, not DDL in Up and DML in Down (separate ${runner} migrations)`, () => {
        assert.deepStrictEqual(summary(findings, 'mixed-ddl-dml'), [`${files[4]}:3`]);
      });

      it('lints the Down section as a down migration: destructive-down, not ban-drop-table as if the Up dropped it', () => {
        assert.deepStrictEqual(summary(findings, 'destructive-down'), [`${files[0]}:9`]);
        assert.match(findings.find((f) => f.rule === 'destructive-down')!.message, /^This down migration drops table public\.orders/);
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
    { runner: 'sqlx', directory: 'migrations', name: (n: number) => `2024010100000${n}`, directive: '-- no-transaction', sendsOneQuery: true },
    { runner: 'atlas', directory: 'migrations', name: (n: number) => `2024010100000${n}`, directive: '-- atlas:txmode none', sendsOneQuery: false },
    { runner: 'graphile-migrate', directory: 'migrations/committed', name: (n: number) => `00000${n}`, directive: '--! no-transaction', sendsOneQuery: true },
  ];
  for (const { runner, directory, name, directive, sendsOneQuery } of FILE_DIRECTIVE_RUNNERS) {
    describe(runner, () => {
      const cwd = path.join(FIXTURES, runner);
      let findings: Finding[];
      before(() => {
        findings = lint(cwd, directory);
      });
      const at = (n: number, line: number) => `${name(n)}${runner === 'graphile-migrate' ? '' : `_${['', 'create_orders', 'orders_customer_index', 'orders_status_index', 'orders_pair_indexes', 'orders_priority', 'orders_placed_index'][n]}`}.sql:${line}`;

      it(`under \`${directive}\` ${sendsOneQuery ? 'the file is one query: CONCURRENTLY only alone, DDL and DML still one implicit transaction' : 'each statement runs on its own'}`, () => {
        const banned = [at(3, 1), ...(sendsOneQuery ? [at(4, 2), at(4, 3)] : [])];
        assert.deepStrictEqual(summary(findings, 'ban-concurrent-index-creation-in-transaction'), banned);
        assert.deepStrictEqual(summary(findings, 'mixed-ddl-dml'), sendsOneQuery ? [at(5, 3)] : []);
      });

      it(`--explain-runner names ${runner} by its directive, the files without it run its default way`, () => {
        const run = runPreflight(['lint', '--explain-runner', directory], { cwd });
        assert.strictEqual(run.status, 0, run.stderr);
        const lines = run.stdout.trim().split('\n');
        assert.strictEqual(lines[0], `${directory}: ${runner}`);
        assert.match(lines[1], /^ {2}annotations: 3 of 6 \.sql files \(e\.g\. /);
        assert.match(run.stdout, new RegExp(`depends on \\S+ \\(${runner}\\)`));
      });

      it(`with "runner": "${runner}" configured, a lone CONCURRENTLY without the directive is known to run in its transaction`, () => {
        inCopyOf(cwd, (project) => {
          fs.writeFileSync(path.join(project, '.preflightrc.json'), JSON.stringify({ migrations: [{ path: directory, runner }] }));
          const configured = lint(project, directory);
          assert.ok(summary(configured, 'ban-concurrent-index-creation-in-transaction').includes(at(6, 1)));
          assert.ok(!summary(findings, 'ban-concurrent-index-creation-in-transaction').includes(at(6, 1)), 'unknown without the config');
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
      assert.deepStrictEqual(summary(findings, 'ban-concurrent-index-creation-in-transaction'), ['000003_orders_status_index.up.sql:1']);
      assert.deepStrictEqual(summary(findings, 'mixed-ddl-dml'), ['000004_orders_priority.up.sql:2']);
      assert.deepStrictEqual(summary(findings, 'destructive-down'), ['000001_create_orders.down.sql:1']);
    });

    it('--explain-runner names golang-migrate by the file names, says sqlx names files so too, and finds it in go.mod', () => {
      const run = runPreflight(['lint', '--explain-runner', 'db/migrations'], { cwd });
      assert.strictEqual(run.status, 0, run.stderr);
      assert.match(run.stdout, /^db\/migrations: golang-migrate\n {2}file names: 10 of 10 \.sql files .*\(sqlx\)/);
      assert.match(run.stdout, /go\.mod depends on github\.com\/golang-migrate\/migrate \(golang-migrate\)/);
    });

    it('with "runner": "golang-migrate" configured, a file of one CREATE INDEX runs on its own: CONCURRENTLY is a fix --fix applies', () => {
      inCopyOf(cwd, (project) => {
        const file = path.join(project, 'db', 'migrations', '000005_orders_placed_index.up.sql');
        const unsure = runPreflight(['lint', '--fix', '--format', 'json', 'db/migrations'], { cwd: project });
        assert.ok(unsure.status === 0 || unsure.status === 1, unsure.stderr);
        assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /CONCURRENTLY/, 'by file name alone (sqlx names files so too) the fix is not applied');
        fs.writeFileSync(path.join(project, '.preflightrc.json'), JSON.stringify({ migrations: [{ path: 'db/migrations', runner: 'golang-migrate' }] }));
        const fixed = runPreflight(['lint', '--fix', '--format', 'json', 'db/migrations'], { cwd: project });
        assert.ok(fixed.status === 0 || fixed.status === 1, fixed.stderr);
        assert.strictEqual(fs.readFileSync(file, 'utf8'), 'CREATE INDEX CONCURRENTLY orders_placed_idx ON orders (customer_id, status);\n');
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
      fs.writeFileSync(path.join(project, '.preflightrc.json'), JSON.stringify({ migrations: [{ path: 'db/migrations', runner: 'psql' }] }));
      const findings = lint(project, 'db/migrations');
      assert.ok(summary(findings, 'ban-concurrent-index-creation-in-transaction').includes('00002_orders_customer_index.sql:3'));
      const explained = runPreflight(['lint', '--explain-runner', 'db/migrations'], { cwd: project });
      assert.match(explained.stdout, /^db\/migrations: psql\n {2}configured: "runner": "psql" on the migrations entry "db\/migrations"/);
    });

    it('exits 2 naming the key for a runner it does not know', () => {
      fs.writeFileSync(path.join(project, '.preflightrc.json'), JSON.stringify({ migrations: [{ path: 'db/migrations', runner: 'flyaway' }] }));
      const run = runPreflight(['lint', 'db/migrations'], { cwd: project });
      assert.strictEqual(run.status, 2);
      assert.match(run.stderr, /migrations\[0\]\.runner: must be one of "goose", "dbmate", .*"psql"/);
    });
  });

  describe('dry-run', () => {
    it('dry-runs the Up section of a goose file, not its Down section after it', () => {
      const run = runPreflight(['dry-run', 'db/migrations/00005_orders_priority.sql', '--format', 'json'], { cwd: path.join(FIXTURES, 'goose') });
      assert.strictEqual(run.status, 0, run.stderr);
      const report = JSON.parse(run.stdout) as { outcome: string; statements: { line: number; status: string }[] };
      assert.deepStrictEqual(report.statements.map((s) => `${s.line} ${s.status}`), ['2 ok', '3 ok']);
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
      const uri = await client.open(file);
      const diagnostics = await client.diagnostics(uri, (d) => d.length > 0);
      const cli = runPreflight(['lint', path.relative(root, file), '--format', 'json', '--no-cache'], { cwd: root });
      const expected = (JSON.parse(cli.stdout) as { files: { diagnostics: { rule: string; line: number }[] }[] }).files[0].diagnostics;
      assert.deepStrictEqual(
        diagnostics.map((d) => `${d.range.start.line + 1} ${d.code}`).sort(),
        expected.map((d) => `${d.line} ${d.rule}`).sort(),
      );
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
