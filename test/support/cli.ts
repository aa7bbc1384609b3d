import { spawnSync } from 'child_process';
import { CLI } from './paths';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `preflight` CLI as a separate process, as CI would. Colours and GitHub Actions
 * detection are off unless the test sets them in `env`.
 */
export function runPreflight(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): CliRun {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', ...options.env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
