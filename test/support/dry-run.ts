import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultConfig } from '../../server/src/config';
import { DryRunOptions, DryRunReport, ProgramDryRunOptions, dryRun, dryRunProgram } from '../../server/src/dryrun';
import { REPO_ROOT } from './paths';
import { ClusterConnection } from '../../server/src/dryrun/embedded-cluster';
import { databaseSnapshot } from './db-snapshot';
import { connect, connectionUrl } from './postgres';

/**
 * Dry-runs `sql` (written to a temporary migration file) on a test database, and checks that the
 * database is exactly as it was before: the guarantee every dry-run in the suite is held to.
 */
export async function dryRunOn(
  connection: ClusterConnection,
  sql: string,
  options: Partial<DryRunOptions> & { fileName?: string } = {},
): Promise<DryRunReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-dry-run-'));
  const file = path.join(dir, options.fileName ?? 'migration.sql');
  fs.writeFileSync(file, sql);
  const before = await databaseSnapshot(connection);
  const report = await dryRun({
    file,
    config: defaultConfig(dir),
    databaseUrl: connectionUrl(connection),
    env: {},
    homeDir: dir,
    ...options,
  });
  assert.strictEqual(report.committed, false);
  const after = await databaseSnapshot(connection);
  assert.strictEqual(after, before, 'the dry-run changed the database');
  return report;
}

/** Writes `files` into a temporary folder and dry-runs `program` there on `connection`, checking nothing changed. */
export async function dryRunProgramOn(
  connection: ClusterConnection,
  program: ProgramDryRunOptions['program'],
  files: Record<string, string>,
  options: Partial<ProgramDryRunOptions> = {},
): Promise<DryRunReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-program-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const before = await databaseSnapshot(connection);
  const report = await dryRunProgram({
    program,
    cwd: dir,
    config: defaultConfig(dir),
    databaseUrl: connectionUrl(connection),
    // The scripts require('pg') from Preflight's own node_modules.
    env: { PATH: process.env.PATH, NODE_PATH: path.join(REPO_ROOT, 'node_modules') },
    homeDir: dir,
    ...options,
  });
  assert.strictEqual(report.committed, false);
  assert.strictEqual(await databaseSnapshot(connection), before, 'the dry-run changed the database');
  return report;
}

/** Runs setup SQL for real (committed), to give a dry-run something to work on. */
export async function setUp(connection: ClusterConnection, sql: string): Promise<void> {
  const client = await connect(connection);
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The line (1-based) of the first line of `sql` that contains `text`. */
export function lineOf(sql: string, text: string): number {
  const index = sql.split('\n').findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `"${text}" is not in the script`);
  return index + 1;
}
