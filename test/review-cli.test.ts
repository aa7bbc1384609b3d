import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseShard } from '../server/src/cli/shard';
import { escapeData, escapeProperty } from '../server/src/report/github';
import { runPreflight } from './support/cli';
import { TempGitRepo } from './support/git-repo';

const CREATE = 'CREATE TABLE plans (id bigint PRIMARY KEY);\n';
const MIXED = "ALTER TABLE plans ADD COLUMN tier text;\nUPDATE plans SET tier = 'basic';\n";

const lintedPaths = (stdout: string): string[] =>
  JSON.parse(stdout).files.map((f: { path: string }) => f.path.split(path.sep).join('/'));

describe('preflight lint --changed-since', () => {
  it('lints what the branch added or changed since it left the ref, plus uncommitted files, and nothing else', () => {
    const repo = new TempGitRepo().commit('earlier migrations', {
      'db/migrations/0001_plans.sql': CREATE,
      'db/migrations/0002_old_mixed.sql': MIXED,
    });
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commit('tier', { 'db/migrations/0003_tier.sql': MIXED, 'README.md': 'not a migration\n' });
    // main moves on after the branch left it: a PR diff (REF...HEAD) does not show main's new commits.
    repo.git('checkout', '-q', 'main');
    repo.commit('on main', { 'db/migrations/0005_main_only.sql': MIXED });
    repo.git('checkout', '-q', 'feature');
    repo.write({ 'db/migrations/0004_untracked.sql': MIXED });

    const run = runPreflight(['lint', 'db/migrations', '--changed-since', 'main', '--format', 'json'], {
      cwd: repo.dir,
    });
    assert.deepStrictEqual(
      lintedPaths(run.stdout),
      ['db/migrations/0003_tier.sql', 'db/migrations/0004_untracked.sql'],
      run.stderr,
    );
    assert.strictEqual(run.status, 1);
  });

  it('still checks a changed migration against the schema the earlier, unchanged ones build', () => {
    const repo = new TempGitRepo().commit('schema', {
      'db/migrations/0001_sync.sql':
        'CREATE TABLE sync_lookup (record_id bigint, record_type text, UNIQUE (record_id, record_type));\n',
    });
    repo.git('checkout', '-q', '-b', 'feature');
    // Filters on the second column of the only index: only the replayed schema can tell.
    repo.commit('dedupe', {
      'db/migrations/0002_dedupe.sql': "DELETE FROM sync_lookup WHERE record_type = 'patient';\n",
    });
    const run = runPreflight(['lint', 'db/migrations', '--changed-since', 'main', '--format', 'json'], {
      cwd: repo.dir,
    });
    const [file, ...others] = JSON.parse(run.stdout).files as {
      path: string;
      diagnostics: { rule: string; line: number }[];
    }[];
    assert.deepStrictEqual(others, [], run.stderr);
    assert.strictEqual(file.path.split(path.sep).join('/'), 'db/migrations/0002_dedupe.sql');
    assert.ok(
      file.diagnostics.some((d) => d.rule === 'unindexed-filter' && d.line === 1),
      JSON.stringify(file.diagnostics),
    );
  });

  it('includes committed-earlier files that were modified but not yet committed', () => {
    const repo = new TempGitRepo().commit('earlier', {
      'db/migrations/0001_plans.sql': CREATE,
      'db/migrations/0002_tier.sql': CREATE,
    });
    repo.write({ 'db/migrations/0002_tier.sql': MIXED });
    const run = runPreflight(['lint', 'db/migrations', '--changed-since', 'HEAD', '--format', 'json'], {
      cwd: repo.dir,
    });
    assert.deepStrictEqual(lintedPaths(run.stdout), ['db/migrations/0002_tier.sql'], run.stderr);
  });

  it('works from a subdirectory of the repository', () => {
    const repo = new TempGitRepo().commit('earlier', { 'db/migrations/0001_plans.sql': CREATE });
    repo.write({ 'db/migrations/0002_tier.sql': MIXED });
    const run = runPreflight(['lint', 'migrations', '--changed-since', 'HEAD', '--format', 'json'], {
      cwd: path.join(repo.dir, 'db'),
    });
    assert.deepStrictEqual(lintedPaths(run.stdout), ['migrations/0002_tier.sql'], run.stderr);
  });

  it('exits 2 with one line for an unknown ref and outside a git repository', () => {
    const repo = new TempGitRepo().commit('earlier', { 'db/migrations/0001_plans.sql': CREATE });
    const unknown = runPreflight(['lint', 'db/migrations', '--changed-since', 'origin/nope'], { cwd: repo.dir });
    assert.strictEqual(unknown.status, 2);
    assert.match(
      unknown.stderr,
      /^preflight lint: --changed-since: "origin\/nope" is not a commit in this repository .*\n$/,
    );

    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-nogit-'));
    fs.writeFileSync(path.join(plain, 'a.sql'), CREATE);
    const outside = runPreflight(['lint', 'a.sql', '--changed-since', 'main'], { cwd: plain });
    assert.strictEqual(outside.status, 2);
    assert.match(outside.stderr, /^preflight lint: --changed-since needs a git repository .*\n$/);
  });
});

describe('preflight lint --shard', () => {
  const names = Array.from({ length: 24 }, (_, i) => `db/migrations/${String(i + 1).padStart(4, '0')}_step.sql`);

  it('splits the files into disjoint shards that together cover every file', () => {
    const repo = new TempGitRepo().commit('migrations', Object.fromEntries(names.map((name) => [name, CREATE])));
    const shards = [1, 2, 3].map((i) => {
      const run = runPreflight(['lint', 'db/migrations', '--shard', `${i}/3`, '--format', 'json'], { cwd: repo.dir });
      assert.strictEqual(run.status, 0, run.stderr);
      return lintedPaths(run.stdout);
    });
    assert.deepStrictEqual(shards.flat().sort(), names);
    assert.ok(
      shards.every((shard) => shard.length > 0),
      'every shard gets some of 24 files',
    );
  });

  it('keeps every file in its shard when other files are added (a hash of the path, not a position)', () => {
    const repo = new TempGitRepo().commit('migrations', Object.fromEntries(names.map((name) => [name, CREATE])));
    const shardOne = () =>
      lintedPaths(
        runPreflight(['lint', 'db/migrations', '--shard', '1/3', '--format', 'json'], { cwd: repo.dir }).stdout,
      );
    const before = shardOne();
    repo.write({
      'db/migrations/0000_first.sql': CREATE,
      'db/migrations/0012a_inserted.sql': CREATE,
      'db/migrations/0099_last.sql': CREATE,
    });
    const after = shardOne().filter((name) => names.includes(name));
    assert.deepStrictEqual(after, before);
  });

  it('rejects shards that are not i/n with 1 <= i <= n', () => {
    for (const bad of ['0/2', '3/2', '1', 'a/b', '1/0']) assert.throws(() => parseShard(bad), /--shard must be i\/n/);
    assert.deepStrictEqual(parseShard('2/4'), { index: 2, count: 4 });
  });
});

describe('GitHub annotations', function () {
  this.timeout(180_000);
  it('escape %, CR and LF in messages, and also : and , in properties', () => {
    assert.strictEqual(escapeData('100% done\r\nnext: a, b'), '100%25 done%0D%0Anext: a, b');
    assert.strictEqual(escapeProperty('db/a,b:c%.sql\n'), 'db/a%2Cb%3Ac%25.sql%0A');
  });

  it('are added to the pretty output in GitHub Actions, and never to machine-readable formats', () => {
    const repo = new TempGitRepo().commit('migrations', { 'db/migrations/0001_mixed, v2.sql': MIXED });
    const inActions = { GITHUB_ACTIONS: 'true' };
    const pretty = runPreflight(['lint', 'db/migrations'], { cwd: repo.dir, env: inActions });
    assert.match(
      pretty.stdout,
      /\n::warning file=db\/migrations\/0001_mixed%2C v2\.sql,line=2,endLine=2,col=1,endColumn=32,title=mixed-ddl-dml \(Preflight\)::UPDATE/,
    );
    assert.doesNotMatch(runPreflight(['lint', 'db/migrations'], { cwd: repo.dir }).stdout, /::warning/);
    for (const format of ['json', 'sarif', 'gitlab', 'markdown']) {
      const plain = runPreflight(['lint', 'db/migrations', '--format', format], { cwd: repo.dir });
      const actions = runPreflight(['lint', 'db/migrations', '--format', format], { cwd: repo.dir, env: inActions });
      assert.strictEqual(actions.stdout, plain.stdout, `--format ${format} changed under GITHUB_ACTIONS=true`);
      if (['json', 'sarif', 'gitlab'].includes(format)) JSON.parse(actions.stdout);
    }
  });
});

describe('preflight lint --link-base', () => {
  it('links findings to lines under the given URL, with paths from the repository root', () => {
    const repo = new TempGitRepo().commit('migrations', { 'db/migrations/0001_mixed.sql': MIXED });
    const run = runPreflight(
      ['lint', 'migrations', '--format', 'markdown', '--link-base', 'https://github.com/acme/shop/blob/abc123'],
      {
        cwd: path.join(repo.dir, 'db'),
      },
    );
    assert.match(
      run.stdout,
      /\[line 2\]\(https:\/\/github\.com\/acme\/shop\/blob\/abc123\/db\/migrations\/0001_mixed\.sql#L2\)/,
    );
  });

  it('rejects a base that is not an http(s) URL', () => {
    const repo = new TempGitRepo().commit('migrations', { 'a.sql': CREATE });
    const run = runPreflight(['lint', 'a.sql', '--link-base', 'github.com/acme'], { cwd: repo.dir });
    assert.strictEqual(run.status, 2);
    assert.match(run.stderr, /--link-base must be an http\(s\) URL/);
  });
});
