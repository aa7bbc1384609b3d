import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { runPreflight } from './support/cli';
import { TempGitRepo } from './support/git-repo';

/**
 * `preflight check` as CI runs it: a pull request branch changes one migration; the earlier one on main
 * provides the schema (replayed for the lint rules and into the embedded PostgreSQL for the dry-run), and
 * only the changed one is reported.
 */
const SCHEMA =
  [
    'CREATE TABLE plans (id bigint PRIMARY KEY, name text);',
    'CREATE TABLE orders (id bigserial PRIMARY KEY, plan_id bigint REFERENCES plans (id));',
    'CREATE TABLE sync_lookup (record_id bigint, record_type text, UNIQUE (record_id, record_type));',
  ].join('\n') + '\n';

// Incident 5: a child row inserted before its parent. And incident 1's filter on the second column of the only index.
const CHANGED =
  [
    "INSERT INTO plans (id, name) VALUES (1, 'basic');",
    'INSERT INTO orders (plan_id) VALUES (42);',
    "INSERT INTO plans (id, name) VALUES (42, 'pro');",
    "DELETE FROM sync_lookup WHERE record_type = 'plan';",
  ].join('\n') + '\n';

function pullRequest(): TempGitRepo {
  const repo = new TempGitRepo().commit('schema', {
    '.preflightrc.json': JSON.stringify({ migrations: ['db/migrations'] }),
    'db/migrations/0001_schema.sql': SCHEMA,
  });
  repo.git('checkout', '-q', '-b', 'feature');
  repo.commit('orders', { 'db/migrations/0002_orders.sql': CHANGED });
  return repo;
}

interface JsonFile {
  path: string;
  diagnostics: { rule: string; severity: string; message: string; line: number; column: number }[];
  dryRun?: {
    outcome: string;
    database: { replayed: string[] };
    statements: { status: string; locks: { relation: string; mode: string }[] }[];
  };
}

describe('preflight check (lint + dry-run, CLI process)', function () {
  this.timeout(180_000);

  it('lints and dry-runs only the changed migration, on the schema of the earlier ones', () => {
    const repo = pullRequest();
    const run = runPreflight(['check', '--changed-since', 'main', '--format', 'json'], { cwd: repo.dir });
    const files = JSON.parse(run.stdout).files as JsonFile[];
    assert.deepStrictEqual(
      files.map((f) => f.path.split(path.sep).join('/')),
      ['db/migrations/0002_orders.sql'],
      run.stderr,
    );
    const [file] = files;

    // The dry-run replayed 0001 and failed at the child insert, where the migration would fail.
    assert.deepStrictEqual(file.dryRun!.database.replayed, ['db/migrations/0001_schema.sql']);
    assert.strictEqual(file.dryRun!.outcome, 'failed');
    assert.deepStrictEqual(
      file.dryRun!.statements.map((s) => s.status),
      ['ok', 'error', 'not-run', 'not-run'],
    );
    const failed = file.diagnostics.find((d) => d.rule === 'dry-run-failed')!;
    assert.deepStrictEqual([failed.severity, failed.line, failed.column], ['error', 2, 1]);
    assert.match(failed.message, /23503: insert or update on table "orders" violates foreign key constraint/);

    // A lint rule that needs the schema (the index of sync_lookup comes from 0001) speaks too.
    assert.ok(
      file.diagnostics.some((d) => d.rule === 'unindexed-filter' && d.line === 4),
      JSON.stringify(file.diagnostics, null, 2),
    );

    assert.strictEqual(
      run.status,
      1,
      'a failing statement fails the check (if this is 0, the exit code was lost at process exit)',
    );
  });

  it('feeds one dry-run into several formats: SARIF with the dry-run checks, a PR comment and the HTML timeline', () => {
    const repo = pullRequest();
    const run = runPreflight(
      [
        'check',
        'db/migrations/0002_orders.sql',
        '--format',
        'markdown',
        '--report',
        'sarif=preflight.sarif',
        '--report',
        'html=preflight.html',
      ],
      { cwd: repo.dir },
    );
    assert.match(run.stdout, /^<!-- preflight-report -->/, run.stderr);
    assert.match(run.stdout, /\*\*error\*\* `dry-run-failed` at \[line 2\]\(db\/migrations\/0002_orders\.sql#L2\)/);
    assert.match(run.stdout, /\| 2 \| 2 \| ❌ failed \|/);

    const sarif = JSON.parse(fs.readFileSync(path.join(repo.dir, 'preflight.sarif'), 'utf8'));
    const rules = sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    const failed = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'dry-run-failed');
    assert.strictEqual(rules[failed.ruleIndex], 'dry-run-failed');
    assert.deepStrictEqual(failed.locations[0].physicalLocation.region.startLine, 2);

    const html = fs.readFileSync(path.join(repo.dir, 'preflight.html'), 'utf8');
    assert.match(
      html,
      /<rect class="bar impact-schema-changes"[^>]* data-relation="public\.plans" data-mode="RowExclusiveLock"[^>]* data-release="error"/,
    );
  });

  it('is also `preflight lint --dry-run`, for the files named', () => {
    const repo = pullRequest();
    const run = runPreflight(['lint', 'db/migrations/0002_orders.sql', '--dry-run', '--format', 'markdown'], {
      cwd: repo.dir,
    });
    assert.strictEqual(run.status, 1, run.stderr);
    assert.match(run.stdout, /Preflight dry run of `db\/migrations\/0002_orders\.sql`\n\nFailed at line 2 \(23503\)/);

    const misplaced = runPreflight(['lint', 'db/migrations', '--lock-timeout', '5s'], { cwd: repo.dir });
    assert.strictEqual(misplaced.status, 2);
    assert.match(misplaced.stderr, /--lock-timeout applies to the dry-run: add --dry-run/);
  });
});
