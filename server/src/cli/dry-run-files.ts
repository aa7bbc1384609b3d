import { ConfigCache } from '../config';
import { DEFAULT_LOCK_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT, DEFAULT_TIMEOUT, DryRunError, dryRun, stopEmbeddedServer } from '../dryrun';
import { withDryRun } from '../report/dry-run-findings';
import { ReportFile } from '../report/types';
import type { CommandIO } from './io';
import { UsageError } from './usage';

/** Options of `check` and `lint --dry-run` for where and how the dry-runs run (`--database-url` is shared with lint). */
export const DRY_RUN_OPTIONS = {
  'allow-remote': { type: 'boolean' },
  'lock-timeout': { type: 'string' },
  'statement-timeout': { type: 'string' },
  timeout: { type: 'string' },
} as const;

export const DRY_RUN_USAGE = `  --allow-remote           allow a --database-url that is not on this machine (it holds locks there while it runs)
  --lock-timeout <dur>     give up waiting for a lock after this long (default: ${DEFAULT_LOCK_TIMEOUT})
  --statement-timeout <d>  cancel a statement after this long (default: ${DEFAULT_STATEMENT_TIMEOUT})
  --timeout <dur>          stop each file's dry-run after this long, 0 for never (default: ${DEFAULT_TIMEOUT})
`;

export interface DryRunFilesOptions {
  explicitConfig?: string;
  databaseUrl?: string;
  allowRemote?: boolean;
  lockTimeout?: string;
  statementTimeout?: string;
  timeout?: string;
}

/** `lint --lock-timeout 5s` without `--dry-run` is a mistake worth saying, not an option to ignore. */
export function rejectDryRunOptionsWithout(values: Record<string, unknown>): void {
  const given = Object.keys(DRY_RUN_OPTIONS).find((name) => values[name] !== undefined);
  if (given) throw new UsageError(`--${given} applies to the dry-run: add --dry-run (or use preflight check)`);
}

/** The dry-run options as parsed from the command line. */
export function dryRunFilesOptions(values: {
  config?: string;
  'database-url'?: string;
  'allow-remote'?: boolean;
  'lock-timeout'?: string;
  'statement-timeout'?: string;
  timeout?: string;
}): DryRunFilesOptions {
  return {
    explicitConfig: values.config,
    databaseUrl: values['database-url'],
    allowRemote: values['allow-remote'],
    lockTimeout: values['lock-timeout'],
    statementTimeout: values['statement-timeout'],
    timeout: values.timeout,
  };
}

/** How long the embedded server waits for the next file's dry-run before it stops by itself. */
const EMBEDDED_IDLE_MS = 60_000;

/**
 * Dry-runs each linted file in turn (the embedded PostgreSQL replays the migrations before each one) and
 * merges the results into its report. Ctrl-C rolls back the running dry-run and skips the rest.
 */
export async function dryRunFiles(linted: ReportFile[], options: DryRunFilesOptions, io: CommandIO): Promise<{ reports: ReportFile[]; cancelled: boolean }> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.on('SIGINT', onInterrupt);
  const configs = new ConfigCache();
  const reports: ReportFile[] = [];
  try {
    for (const [i, file] of linted.entries()) {
      // An unreadable file has no statements to run; its lint report already says why.
      if (file.text.length === 0 || controller.signal.aborted) {
        reports.push(file);
        continue;
      }
      if (io.stderrIsTTY) io.stderr(`preflight: dry-run ${i + 1}/${linted.length} ${file.displayPath}\n`);
      const report = await dryRun({
        file: file.absolutePath,
        text: file.text,
        config: configs.configFor(file.absolutePath, options.explicitConfig),
        databaseUrl: options.databaseUrl,
        allowRemote: options.allowRemote,
        lockTimeout: options.lockTimeout,
        statementTimeout: options.statementTimeout,
        timeout: options.timeout,
        signal: controller.signal,
        // One embedded server for all the files of this run, stopped below.
        embeddedIdleMs: EMBEDDED_IDLE_MS,
      }).catch((error: unknown) => {
        if (error instanceof DryRunError) throw new UsageError(`dry-run of ${file.displayPath}: ${error.message}`);
        throw error;
      });
      if (report.interrupted?.reason === 'connection-lost') throw new UsageError(`dry-run of ${file.displayPath}: ${report.interrupted.message}`);
      reports.push(withDryRun(file, report));
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    await stopEmbeddedServer();
  }
  return { reports, cancelled: controller.signal.aborted };
}
