import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ConfigCache } from '../server/src/config';
import { EscapeAnalysis, notifiedChannels } from '../server/src/dryrun/escaping-effects';
import { decodeSource, initEngine, lintText } from '../server/src/lint/engine';
import { parseMigration } from '../server/src/parse/migration';
import { SchemaReplayCache } from '../server/src/schema/cache';
import { SchemaSources, catalogFor } from '../server/src/schema/sources';
import { embeddedOnlyEnv } from './support/cli';
import { RULE_FAILURE } from './support/lint-clean';
import { CLI } from './support/paths';

/**
 * PostgreSQL's own regression suite (`src/test/regress/sql`, 217 files, deliberately invalid statements
 * included) lints without a crash: no exception out of the engine or the schema replay, no rule failing on a
 * file, every file in the CLI's report and the CLI exiting 0 or 1. The corpus is not part of the repository:
 * point PG_REGRESS_DIR at a copy, e.g. `test/sql/postgres_regress` of pganalyze/libpg_query
 * (docs/reliability.md says how it was run and what it found).
 */
const CORPUS = process.env.PG_REGRESS_DIR;

describe('PostgreSQL regression suite (runs when PG_REGRESS_DIR names its .sql folder)', function () {
  this.timeout(20 * 60_000);

  before(function () {
    if (!CORPUS) {
      console.log('    skipped: set PG_REGRESS_DIR to a folder of PostgreSQL regression .sql files to run these');
      this.skip();
    }
  });

  const files = () =>
    fs
      .readdirSync(CORPUS!)
      .filter((name) => name.endsWith('.sql'))
      .sort()
      .map((name) => path.join(CORPUS!, name));

  it('lints every file in-process without an exception or a failing rule', async () => {
    await initEngine();
    const configs = new ConfigCache();
    const schemas = new SchemaSources(new SchemaReplayCache({ assumeUnchanged: true }));
    const crashes: string[] = [];
    let statements = 0;
    let slowest = { file: '', ms: 0 };
    const started = performance.now();
    for (const file of files()) {
      const fileStarted = performance.now();
      try {
        const decoded = decodeSource(fs.readFileSync(file));
        if ('problem' in decoded) continue;
        const config = configs.configFor(file);
        statements += parseMigration(file, decoded.text).statements.filter((s) => s.kind === 'statement').length;
        const { catalog } = await catalogFor(file, config, schemas);
        for (const d of lintText(file, decoded.text, { config, catalog }).diagnostics) {
          if (RULE_FAILURE.test(d.message)) crashes.push(`${path.basename(file)}: ${d.message}`);
        }
      } catch (error) {
        crashes.push(`${path.basename(file)}: ${(error as Error).stack}`);
      }
      const ms = performance.now() - fileStarted;
      if (ms > slowest.ms) slowest = { file: path.basename(file), ms };
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `    ${files().length} files, ${statements} statements, ${crashes.length} crashes, ${seconds.toFixed(1)} s ` +
        `(slowest file ${slowest.file}: ${(slowest.ms / 1000).toFixed(1)} s)`,
    );
    assert.deepStrictEqual(crashes, []);
  });

  it("decides every statement's escaping effects (the dry-run's refusal) without an exception", () => {
    const crashes: string[] = [];
    const counts = { statements: 0, escapes: 0, undecidable: 0 };
    let deciding = 0;
    for (const file of files()) {
      const decoded = decodeSource(fs.readFileSync(file));
      if ('problem' in decoded) continue;
      const analysis = new EscapeAnalysis();
      for (const statement of parseMigration(file, decoded.text).statements) {
        counts.statements++;
        const started = performance.now();
        try {
          const verdict = analysis.check(statement);
          notifiedChannels(statement);
          deciding += performance.now() - started;
          if (verdict.escapes.length > 0) counts.escapes++;
          else if (verdict.undecidable.length > 0) counts.undecidable++;
        } catch (error) {
          crashes.push(`${path.basename(file)}: ${(error as Error).stack}`);
        }
      }
    }
    console.log(
      `    ${counts.statements} statements, ${counts.escapes} escaping, ${counts.undecidable} undecidable, ${(deciding / 1000).toFixed(1)} s deciding`,
    );
    assert.deepStrictEqual(crashes, []);
  });

  it('lints the folder with the CLI: every file reported, exit 0 or 1, nothing on stderr', async () => {
    const started = performance.now();
    // From an empty working directory: every file is linted, none comes from a lint cache of an earlier run.
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-pg-regress-'));
    const child = spawn(process.execPath, [CLI, 'lint', CORPUS!, '--format', 'json'], {
      cwd,
      env: { ...embeddedOnlyEnv(), NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const seconds = (performance.now() - started) / 1000;
    fs.rmSync(cwd, { recursive: true, force: true });
    assert.ok(code === 0 || code === 1, `exit ${code}: ${stderr}`);
    assert.strictEqual(stderr, '');
    const report = JSON.parse(stdout) as {
      files: { path: string; diagnostics: { rule: string; message: string }[] }[];
    };
    assert.deepStrictEqual(
      report.files.map((f) => path.basename(f.path)).sort(),
      files().map((f) => path.basename(f)),
    );
    const failures = report.files.flatMap((f) =>
      f.diagnostics.filter((d) => RULE_FAILURE.test(d.message)).map((d) => `${f.path}: ${d.message}`),
    );
    assert.deepStrictEqual(failures, []);
    const parseErrors = report.files.reduce(
      (n, f) => n + f.diagnostics.filter((d) => d.rule === 'parse-error').length,
      0,
    );
    console.log(
      `    CLI: ${report.files.length} files in ${seconds.toFixed(1)} s, exit ${code}, ${parseErrors} parse-error findings`,
    );
  });
});
