import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ClientConfig } from 'pg';
import type { ResolvedConfig } from '../../resolved-config';
import { programEnvironment, runProgram, typescriptHook } from '../proxy/program-process';
import type { MigrationSource, ReplayOutcome } from '../replay';
import { frameworkJob, frameworkRunnerScript, type InstalledFramework } from './framework-plan';
import type { JobResult } from './job';

/** A replay that has not finished in this long is stopped: the template is only a cache, its build must end. */
const REPLAY_TIME_LIMIT_MS = 10 * 60_000;

/**
 * Replays an earlier framework's migration into the template database being built, through the project's own
 * framework as production ran it (its own transaction, committed: the template keeps the state after it). The
 * runner connects straight to the build database as the dry-run's restricted role; nothing goes through the proxy.
 */
export async function replayThroughFramework(
  migration: MigrationSource & { framework: InstalledFramework },
  database: ClientConfig,
  config: ResolvedConfig,
  env: NodeJS.ProcessEnv,
): Promise<ReplayOutcome> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-replay-'));
  try {
    const job = frameworkJob(migration, config, migration.framework, work);
    const jobFile = path.join(work, 'job.json');
    fs.writeFileSync(jobFile, JSON.stringify(job));
    const exit = await runProgram({
      command: process.execPath,
      args: ['--require', typescriptHook(), frameworkRunnerScript(), jobFile],
      shell: false,
      cwd: path.dirname(migration.path),
      env: programEnvironment(
        env,
        {
          host: String(database.host),
          port: Number(database.port),
          user: String(database.user),
          password: String(database.password),
          database: String(database.database),
        },
        [],
      ),
      timeLimitMs: REPLAY_TIME_LIMIT_MS,
    });
    const [result] = readResults(job.resultsFile);
    if (result?.ok) return { file: migration.display, replayed: true };
    const why = result?.error
      ? `${result.error.message}${result.error.code ? ` (SQLSTATE ${result.error.code})` : ''}`
      : exit.timedOut
        ? `still running after ${REPLAY_TIME_LIMIT_MS / 60_000} minutes`
        : lastLine(exit.stderr) || `the runner exited with ${exit.exitCode ?? exit.signal}`;
    return {
      file: migration.display,
      replayed: false,
      reason: `failed through ${migration.framework.framework} ${migration.framework.version}: ${why}`,
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function readResults(file: string): JobResult[] {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as JobResult[];
  } catch {
    return [];
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}
