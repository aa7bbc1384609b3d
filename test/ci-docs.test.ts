import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { embeddedOnlyEnv } from './support/cli';
import { CLI, REPO_ROOT } from './support/paths';
import { TempGitRepo } from './support/git-repo';

/**
 * docs/ci.md is copy-pasted into real pipelines, so its examples are run here as written: the YAML blocks
 * are parsed, and their shell steps run in a temporary git repository (a pull request branch with an
 * earlier migration on main and a changed one on the branch, and an `origin` remote that is a local bare
 * repository). `npx preflight` runs this checkout's CLI; `npm ci` is a no-op; `gh` is a stand-in that records
 * its arguments; steps that use actions are checked for the files they would upload.
 */

// js-yaml comes with mocha; the CI recipes are YAML, so parse them as a runner would.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml') as { load(text: string): unknown };

const DOC = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'ci.md'), 'utf8');

function codeBlocks(language: string): string[] {
  return [...DOC.matchAll(new RegExp('^```' + language + '\\n([\\s\\S]*?)^```', 'gm'))].map((m) => m[1]);
}

const CREATE = 'CREATE TABLE plans (id bigint PRIMARY KEY);\n';
const MIXED = "ALTER TABLE plans ADD COLUMN tier text;\nUPDATE plans SET tier = 'basic';\n";
const OLD_MIXED = "ALTER TABLE plans ADD COLUMN legacy text;\nUPDATE plans SET legacy = 'x';\n";

interface PullRequest {
  repo: TempGitRepo;
  head: string;
  bin: string;
  ghLog: string;
}

/** main: the schema and an old finding that must not be reported; the branch: one changed migration. */
function pullRequest(): PullRequest {
  const origin = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-origin-'));
  spawnSync('git', ['init', '-q', '--bare', '-b', 'main', origin]);
  const repo = new TempGitRepo().commit('schema', {
    '.preflightrc.json': JSON.stringify({ migrations: ['db/migrations'] }),
    'db/migrations/0001_plans.sql': CREATE,
    'db/migrations/0002_legacy.sql': OLD_MIXED,
  });
  repo.git('remote', 'add', 'origin', origin);
  repo.git('push', '-q', 'origin', 'main');
  repo.git('checkout', '-q', '-b', 'feature');
  repo.commit('tier', { 'db/migrations/0003_tier.sql': MIXED });
  repo.git('fetch', '-q', 'origin');
  const head = repo.git('rev-parse', 'HEAD').trim();

  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-bin-'));
  const ghLog = path.join(bin, 'gh.log');
  const shim = (name: string, script: string) =>
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  shim(
    'npx',
    `[ "$1" = preflight ] || { echo "unexpected: npx $*" >&2; exit 127; }\nshift\nexec "${process.execPath}" "${CLI}" "$@"`,
  );
  shim('npm', `[ "$1" = ci ] || { echo "unexpected: npm $*" >&2; exit 127; }`);
  // gh: record the call; a first --edit-last fails as it does when the bot has not commented yet.
  shim(
    'gh',
    `echo "$*" >> "${ghLog}"\ncase "$*" in *--edit-last*) [ -f "${ghLog}.commented" ] || exit 1 ;; esac\ntouch "${ghLog}.commented"`,
  );
  return { repo, head, bin, ghLog };
}

interface StepRun {
  name: string;
  status: number | null;
  stdout: string;
  stderr: string;
}

function runShell(script: string, cwd: string, env: Record<string, string>, bin: string): StepRun {
  const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd,
    encoding: 'utf8',
    // The dry-run always uses the embedded PostgreSQL here, whatever database the test machine points at.
    env: { ...embeddedOnlyEnv(), NO_COLOR: '1', PATH: `${bin}:${process.env.PATH}`, ...env },
  });
  return { name: script, status: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface WorkflowStep {
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

interface Workflow {
  jobs: Record<string, { strategy?: { matrix?: Record<string, unknown[]> }; steps: WorkflowStep[] }>;
}

/**
 * Runs a GitHub Actions job's steps as the runner would: `${{ }}` expressions substituted (an unknown one
 * fails the test, so docs and test stay in step), bash with -eo pipefail, later steps skipped after a
 * failure unless `if: ${{ !cancelled() }}`, and `uses:` steps handed to `checkAction`.
 */
function runGithubJob(
  steps: WorkflowStep[],
  pr: PullRequest,
  expressions: Record<string, string>,
  checkAction: (step: WorkflowStep) => void,
): StepRun[] {
  const expand = (text: string) =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expression: string) => {
      assert.ok(expression in expressions, `docs/ci.md uses \${{ ${expression} }}, which this test does not know`);
      return expressions[expression];
    });
  const env = {
    GITHUB_ACTIONS: 'true',
    GITHUB_BASE_REF: 'main',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/shop',
  };
  const runs: StepRun[] = [];
  let failed = false;
  for (const step of steps) {
    if (step.if !== undefined) assert.strictEqual(step.if, '${{ !cancelled() }}', `unsupported if: ${step.if}`);
    else if (failed) continue;
    if (step.uses) {
      checkAction({ ...step, with: JSON.parse(expand(JSON.stringify(step.with ?? {}))) });
      continue;
    }
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v))]));
    const run = runShell(expand(step.run!), pr.repo.dir, { ...env, ...stepEnv }, pr.bin);
    runs.push({ ...run, name: step.name ?? step.run! });
    failed ||= run.status !== 0;
  }
  return runs;
}

type SarifLog = {
  runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
};
const sarifFiles = (log: SarifLog) => [
  ...new Set(log.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri)),
];

describe('docs/ci.md recipes, run on a temporary git repository', function () {
  // Every `preflight check` here dry-runs on the embedded PostgreSQL.
  this.timeout(600_000);
  const workflows = codeBlocks('yaml').map((block) => yaml.load(block) as Workflow & Record<string, unknown>);
  const github = workflows.filter((w) => 'jobs' in w);
  const gitlab = workflows.filter((w) => !('jobs' in w));

  it('has the GitHub pull request workflow, the sharded one and the GitLab job', () => {
    assert.strictEqual(github.length, 2);
    assert.strictEqual(gitlab.length, 1);
  });

  it('GitHub pull request workflow: annotations, SARIF for code scanning and one sticky comment', () => {
    const pr = pullRequest();
    const [job] = Object.values(github[0].jobs);
    const uploaded: string[] = [];
    const expressions = {
      'github.event.pull_request.head.sha': pr.head,
      'github.event.pull_request.number': '42',
      'github.token': 'token-for-tests',
    };
    const checkAction = (step: WorkflowStep) => {
      if (step.uses!.startsWith('actions/checkout@'))
        assert.strictEqual(step.with?.['fetch-depth'], 0, '--changed-since needs fetch-depth: 0');
      if (step.uses!.startsWith('github/codeql-action/upload-sarif@')) uploaded.push(String(step.with?.sarif_file));
    };
    const runs = runGithubJob(job.steps, pr, expressions, checkAction);
    // Twice, as on two pushes to the pull request: the second run edits the comment the first one created.
    runGithubJob(job.steps, pr, expressions, checkAction);

    const check = runs.find((run) => run.name === 'Preflight check')!;
    assert.strictEqual(check.status, 1, `a finding fails the step\n${check.stderr}`);
    assert.match(
      check.stdout,
      /^::warning file=db\/migrations\/0003_tier\.sql,line=2,endLine=2,col=1,endColumn=32,title=mixed-ddl-dml \(Preflight\)::/m,
    );
    assert.doesNotMatch(check.stdout, /0002_legacy/, 'migrations the branch did not change are not reported');

    assert.deepStrictEqual(uploaded, ['preflight.sarif', 'preflight.sarif']);
    const sarif = JSON.parse(fs.readFileSync(path.join(pr.repo.dir, 'preflight.sarif'), 'utf8')) as SarifLog;
    assert.deepStrictEqual(sarifFiles(sarif), ['db/migrations/0003_tier.sql']);

    const comment = fs.readFileSync(path.join(pr.repo.dir, 'preflight.md'), 'utf8');
    assert.match(comment, /^<!-- preflight-report -->/);
    assert.ok(
      comment.includes(`(https://github.com/acme/shop/blob/${pr.head}/db/migrations/0003_tier.sql#L2)`),
      comment,
    );
    // The changed migration was dry-run on the embedded PostgreSQL, with 0001 and 0002 replayed first.
    assert.match(
      comment,
      /Preflight dry run of `db\/migrations\/0003_tier\.sql`\n\n.*after replaying 2 earlier migrations/,
    );
    assert.deepStrictEqual(fs.readFileSync(pr.ghLog, 'utf8').trim().split('\n'), [
      'pr comment 42 --edit-last --body-file preflight.md',
      'pr comment 42 --body-file preflight.md',
      'pr comment 42 --edit-last --body-file preflight.md',
    ]);
  });

  it('GitHub sharded workflow: the shards together report every file once', () => {
    const pr = pullRequest();
    const [job] = Object.values(github[1].jobs);
    const shards = job.strategy!.matrix!.shard as number[];
    const reported: string[] = [];
    for (const shard of shards) {
      const uploaded: string[] = [];
      const runs = runGithubJob(job.steps, pr, { 'matrix.shard': String(shard) }, (step) => {
        if (step.uses!.startsWith('github/codeql-action/upload-sarif@')) uploaded.push(String(step.with?.sarif_file));
      });
      // 0: nothing found in this shard, 1: findings; never a usage or connection error.
      for (const run of runs)
        assert.ok(run.status === 0 || run.status === 1, `${run.name} exited ${run.status}\n${run.stderr}`);
      assert.deepStrictEqual(uploaded, [`preflight-${shard}.sarif`]);
      reported.push(...sarifFiles(JSON.parse(fs.readFileSync(path.join(pr.repo.dir, uploaded[0]), 'utf8'))));
    }
    assert.deepStrictEqual(reported.sort(), ['db/migrations/0002_legacy.sql', 'db/migrations/0003_tier.sql']);
  });

  it('GitLab merge request job: a Code Quality report of the changed migrations, and the markdown artifact', () => {
    const pr = pullRequest();
    const [job] = Object.values(gitlab[0]) as {
      variables: Record<string, string>;
      script: string[];
      artifacts: { reports: { codequality: string }; paths: string[] };
    }[];
    assert.strictEqual(job.variables.GIT_DEPTH, '0');
    const env = {
      ...job.variables,
      GITLAB_CI: 'true',
      CI_PIPELINE_SOURCE: 'merge_request_event',
      CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
      CI_PROJECT_URL: 'https://gitlab.example.com/acme/shop',
      CI_COMMIT_SHA: pr.head,
    };
    const statuses = job.script.map((line) => runShell(line, pr.repo.dir, env, pr.bin));
    assert.deepStrictEqual(
      statuses.map((s) => s.status),
      [0, 0, 1],
      statuses.map((s) => s.stderr).join('\n'),
    );

    const report = JSON.parse(fs.readFileSync(path.join(pr.repo.dir, job.artifacts.reports.codequality), 'utf8'));
    const paths = new Set(report.map((issue: { location: { path: string } }) => issue.location.path));
    assert.deepStrictEqual([...paths], ['db/migrations/0003_tier.sql']);
    assert.deepStrictEqual(Object.keys(report[0]), [
      'type',
      'description',
      'check_name',
      'fingerprint',
      'severity',
      'location',
    ]);
    for (const artifact of job.artifacts.paths)
      assert.ok(fs.existsSync(path.join(pr.repo.dir, artifact)), `missing artifact ${artifact}`);
    assert.ok(
      fs
        .readFileSync(path.join(pr.repo.dir, 'preflight.md'), 'utf8')
        .includes(`https://gitlab.example.com/acme/shop/-/blob/${pr.head}/db/migrations/0003_tier.sql#L2`),
    );
  });

  it('local commands: the same check before pushing', () => {
    const pr = pullRequest();
    const lines = codeBlocks('sh')
      .flatMap((block) => block.split('\n'))
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .filter(Boolean);
    assert.ok(lines.length >= 2);
    for (const line of lines) {
      const run = runShell(line, pr.repo.dir, {}, pr.bin);
      assert.strictEqual(run.status, 1, `${line}\n${run.stderr}`);
    }
    const html = fs.readFileSync(path.join(pr.repo.dir, 'preflight.html'), 'utf8');
    assert.match(
      html,
      /<rect class="bar impact-reads-and-writes"[^>]* data-relation="public\.plans" data-mode="AccessExclusiveLock"/,
    );
  });
});
