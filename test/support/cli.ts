import { spawnSync } from 'child_process';
import { CLI } from './paths';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `preflight` CLI as a separate process, as CI would. Colours and GitHub Actions
 * detection are off unless the test sets them in `env`; a dry-run uses the embedded PostgreSQL.
 */
export function runPreflight(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): CliRun {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    env: { ...embeddedOnlyEnv(), NO_COLOR: '1', GITHUB_ACTIONS: '', ...options.env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/**
 * `process.env` without the variables that would point a dry-run at a database, so it uses the embedded
 * PostgreSQL whatever the test machine has set. (Removed, not emptied: initdb reads PGPORT too.)
 */
export function embeddedOnlyEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of ['DATABASE_URL', 'PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGSERVICE'])
    delete copy[name];
  return copy;
}
