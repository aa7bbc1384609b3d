import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigCache } from '../../server/src/config';
import type { DryRunReport, StatementReport } from '../../server/src/dryrun';
import { FileDryRunOptions, dryRunFile } from '../../server/src/dryrun/run-file';
import type { ClusterConnection } from '../../server/src/dryrun/embedded-cluster';
import { databaseSnapshot } from './db-snapshot';
import { runPreflight } from './cli';
import { REPO_ROOT } from './paths';

/**
 * A project folder as a user of a migration framework has one: its migrations, and (unless `installed: false`) a
 * node_modules that is a symlink to this repository's, which holds the frameworks the dry-run resolves from it.
 */
export function frameworkProject(files: Record<string, string>, options: { installed?: boolean } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-framework-project-'));
  if (options.installed ?? true) fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** An embedded-cluster cache for one test file (as root, PostgreSQL runs as postgres, which must enter it). */
export function embeddedCacheDir(): string {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-cache-'));
  fs.chmodSync(cacheDir, 0o755);
  return cacheDir;
}

/** Dry-runs FILE of the project in DIR as the CLI and the editor do (config read from the project). */
export function dryRunInProject(
  dir: string,
  file: string,
  cacheDir: string,
  options: Partial<FileDryRunOptions> = {},
): Promise<DryRunReport> {
  const absolute = path.join(dir, file);
  return dryRunFile({
    file: absolute,
    cwd: dir,
    config: new ConfigCache().configFor(absolute),
    env: { PREFLIGHT_CACHE_DIR: cacheDir },
    homeDir: cacheDir,
    ...options,
  });
}

export function skippedStatements(report: DryRunReport): StatementReport[] {
  return report.statements.filter((statement) => statement.status === 'skipped');
}

/** Runs `dryRun` and checks the database is exactly as it was before (pg_dump of schema and data). */
export async function unchangedDatabase(
  database: ClusterConnection,
  dryRun: () => Promise<DryRunReport>,
): Promise<DryRunReport> {
  const before = await databaseSnapshot(database);
  const report = await dryRun();
  assert.strictEqual(report.committed, false);
  assert.strictEqual(await databaseSnapshot(database), before, 'the dry-run changed the database');
  return report;
}

/** The rules `preflight lint` reports for FILE, as a user runs it in DIR. */
export function lintedRules(dir: string, file: string): string[] {
  const run = runPreflight(['lint', '--format', 'json', file], { cwd: dir });
  const report = JSON.parse(run.stdout) as { files: { diagnostics: { rule: string }[] }[] };
  return report.files.flatMap((linted) => linted.diagnostics.map((diagnostic) => diagnostic.rule));
}

/** A config whose migrations folder has this `transaction` setting. */
export function transactionConfig(transaction: 'per-migration' | 'none'): Record<string, string> {
  return { '.preflightrc.json': JSON.stringify({ migrations: [{ path: 'migrations', transaction }] }) };
}
