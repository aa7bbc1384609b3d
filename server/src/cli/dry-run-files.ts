import { ConfigCache } from '../config';
import { DryRunError, dryRun, stopEmbeddedServer } from '../dryrun';
import { withDryRun } from '../report/dry-run-findings';
import { ReportFile } from '../report/types';
import type { DryRunFilesOptions } from './dry-run-options';
import type { CommandIO } from './io';
import { UsageError } from './usage';

/** How long the embedded server waits for the next file's dry-run before it stops by itself. */
const EMBEDDED_IDLE_MS = 60_000;

/**
 * Dry-runs each linted file in turn (the embedded PostgreSQL replays the migrations before each one) and
 * merges the results into its report. Ctrl-C rolls back the running dry-run and skips the rest.
 */
export async function dryRunFiles(
  linted: ReportFile[],
  options: DryRunFilesOptions,
  io: CommandIO,
): Promise<{ reports: ReportFile[]; cancelled: boolean }> {
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
      if (report.interrupted?.reason === 'connection-lost')
        throw new UsageError(`dry-run of ${file.displayPath}: ${report.interrupted.message}`);
      reports.push(withDryRun(file, report));
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    await stopEmbeddedServer();
  }
  return { reports, cancelled: controller.signal.aborted };
}
