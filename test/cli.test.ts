import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLI } from './support/paths';

interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

function preflight(args: string[], options: { cwd?: string; input?: string } = {}): CliRun {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '' },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function tempProject(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-cli-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

interface JsonDiagnostic {
  rule: string;
  severity: string;
}

function mixedDdlDml(diagnostics: JsonDiagnostic[]): JsonDiagnostic {
  const found = diagnostics.find((d) => d.rule === 'mixed-ddl-dml');
  assert.ok(found, `no mixed-ddl-dml in ${JSON.stringify(diagnostics)}`);
  return found;
}

const MIXED = "ALTER TABLE plans ADD COLUMN tier text;\nUPDATE plans SET tier = 'basic';\n";

describe('preflight lint (CLI process)', () => {
  it('prints the version 1 JSON shape with 1-based positions and exits 1 on a warning', () => {
    const dir = tempProject({ 'migrations/0001_mixed.sql': MIXED });
    const run = preflight(['lint', 'migrations', '--format', 'json'], { cwd: dir });
    assert.strictEqual(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepStrictEqual(Object.keys(report), ['version', 'files', 'summary']);
    assert.strictEqual(report.version, 1);
    assert.strictEqual(report.files[0].path, path.join('migrations', '0001_mixed.sql'));
    const diagnostic = report.files[0].diagnostics.find((d: { rule: string }) => d.rule === 'mixed-ddl-dml');
    assert.deepStrictEqual(Object.keys(diagnostic), [
      'rule',
      'severity',
      'message',
      'help',
      'line',
      'column',
      'endLine',
      'endColumn',
    ]);
    assert.deepStrictEqual(
      [
        diagnostic.rule,
        diagnostic.severity,
        diagnostic.line,
        diagnostic.column,
        diagnostic.endLine,
        diagnostic.endColumn,
      ],
      ['mixed-ddl-dml', 'warning', 2, 1, 2, 32],
    );
    const count = (severity: string) =>
      report.files[0].diagnostics.filter((d: { severity: string }) => d.severity === severity).length;
    assert.deepStrictEqual(report.summary, {
      files: 1,
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
    });
  });

  it('stops quietly, without a stack trace, when the reader of its output goes away (`preflight lint | head`)', () => {
    const dir = tempProject({ 'migrations/0001.sql': MIXED });
    const run = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" lint migrations --format json | true`], {
      cwd: dir,
      encoding: 'utf8',
    });
    assert.strictEqual(run.stderr, '');
  });

  it('exits 0 when nothing reaches --fail-on', () => {
    const dir = tempProject({ 'a.sql': MIXED });
    assert.strictEqual(preflight(['lint', 'a.sql', '--fail-on', 'error'], { cwd: dir }).status, 0);
    assert.strictEqual(preflight(['lint', 'a.sql'], { cwd: dir }).status, 1);
  });

  it('exits 2 with one clear line for usage errors', () => {
    const dir = tempProject({ 'a.sql': 'SELECT 1;' });
    for (const args of [
      ['lint', 'missing.sql'],
      ['lint', 'a.sql', '--format', 'xml'],
      ['lint', 'a.sql', '--bogus'],
      ['lint'],
      ['frobnicate'],
    ]) {
      const run = preflight(args, { cwd: dir });
      assert.strictEqual(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.ok(!/\n\s+at /.test(run.stderr), `stack trace for ${args.join(' ')}: ${run.stderr}`);
    }
  });

  it('exits 2 naming the file and key for an unknown rule, a bad option or invalid JSON', () => {
    const cases: [string, RegExp][] = [
      ['{"rules": {"no-such-rule": "error"}}', /\.preflightrc\.json: rules\.no-such-rule: unknown rule id/],
      ['{"rules": {"mixed-ddl-dml": ["error", {"x": 1}]}}', /rules\.mixed-ddl-dml\.x: this rule takes no options/],
      ['{"rules": {"mixed-ddl-dml": "loud"}}', /rules\.mixed-ddl-dml: severity must be one of/],
      ['{"rules": ', /\(json\): invalid JSON/],
      ['{"pgVersion": "sixteen"}', /pgVersion: must be a PostgreSQL major version/],
      ['{"colour": true}', /colour: unknown key/],
    ];
    for (const [config, expected] of cases) {
      const dir = tempProject({ '.preflightrc.json': config, 'a.sql': 'SELECT 1;' });
      const run = preflight(['lint', 'a.sql'], { cwd: dir });
      assert.strictEqual(run.status, 2, config);
      assert.match(run.stderr, expected);
      assert.strictEqual(run.stderr.trim().split('\n').length, 1, run.stderr);
    }
  });

  it('honours rule severities from .preflightrc.json and from a package.json "preflight" key', () => {
    const rc = tempProject({ '.preflightrc.json': '{"rules": {"mixed-ddl-dml": "off"}}', 'db/a.sql': MIXED });
    const silenced = JSON.parse(preflight(['lint', 'db/a.sql', '--format', 'json'], { cwd: rc }).stdout);
    assert.ok(!silenced.files[0].diagnostics.some((d: JsonDiagnostic) => d.rule === 'mixed-ddl-dml'));
    const pkg = tempProject({
      'package.json': '{"name": "x", "preflight": {"rules": {"mixed-ddl-dml": "error"}}}',
      'a.sql': MIXED,
    });
    const report = JSON.parse(preflight(['lint', 'a.sql', '--format', 'json'], { cwd: pkg }).stdout);
    assert.strictEqual(mixedDdlDml(report.files[0].diagnostics).severity, 'error');
  });

  it('reports a binary file, invalid UTF-8, an oversized file and an unterminated dollar quote, and lints the other files', () => {
    const dir = tempProject({
      'm/1_binary.sql': Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff]),
      'm/2_latin1.sql': Buffer.from("SELECT 'caf\xe9';", 'latin1'),
      'm/3_huge.sql': 'SELECT 1;\n'.repeat(1_100_000),
      'm/4_dollar.sql': 'CREATE FUNCTION f() RETURNS void AS $$ BEGIN',
      'm/5_mixed.sql': MIXED,
    });
    const run = preflight(['lint', 'm', '--format', 'json'], { cwd: dir });
    assert.strictEqual(run.status, 1, run.stderr);
    const byFile = Object.fromEntries(
      JSON.parse(run.stdout).files.map((f: { path: string; diagnostics: { rule: string; message: string }[] }) => [
        path.basename(f.path),
        f.diagnostics,
      ]),
    );
    assert.match(byFile['1_binary.sql'][0].message, /binary file/);
    assert.match(byFile['2_latin1.sql'][0].message, /not valid UTF-8/);
    assert.match(byFile['3_huge.sql'][0].message, /too large/);
    assert.match(byFile['4_dollar.sql'][0].message, /unterminated dollar quote/);
    assert.ok(mixedDdlDml(byFile['5_mixed.sql']));
  });

  it('lints standard input under the name given by --stdin-filepath', () => {
    const dir = tempProject({ '.preflightrc.json': '{"rules": {"mixed-ddl-dml": "error"}}' });
    const run = preflight(['lint', '--stdin', '--stdin-filepath', 'migrations/0002.sql', '--format', 'json'], {
      cwd: dir,
      input: MIXED,
    });
    const report = JSON.parse(run.stdout);
    assert.strictEqual(report.files[0].path, 'migrations/0002.sql');
    assert.strictEqual(mixedDdlDml(report.files[0].diagnostics).severity, 'error');
  });

  it('prints file:line:col, a code frame and the docs page without colours when not on a terminal', () => {
    const dir = tempProject({ 'a.sql': MIXED });
    const run = preflight(['lint', 'a.sql'], { cwd: dir });
    assert.match(run.stdout, /^a\.sql:2:1 warning mixed-ddl-dml$/m);
    assert.match(run.stdout, /> 2 \| UPDATE plans SET tier = 'basic';/);
    assert.match(run.stdout, /docs: docs\/rules\/mixed-ddl-dml\.md/);
    assert.ok(!run.stdout.includes('\x1b['), 'no colour codes when piped');
  });

  it("skips files matched by the config's ignore globs", () => {
    const dir = tempProject({
      '.preflightrc.json': '{"ignore": ["legacy/**"]}',
      'legacy/old.sql': MIXED,
      'new.sql': 'SELECT 1;',
    });
    const report = JSON.parse(preflight(['lint', '.', '--format', 'json'], { cwd: dir }).stdout);
    assert.deepStrictEqual(
      report.files.map((f: { path: string }) => f.path),
      ['new.sql'],
    );
  });
});
