import * as path from 'path';
import { parseArgs } from 'util';
import { CONFIG_FILE_NAME, ConfigCache } from '../config';
import type { Severity } from '../resolved-config';
import { readUserFile } from '../source-files';
import { REPORTERS } from '../report';
import { dryRunFiles } from './dry-run-files';
import { DRY_RUN_OPTIONS, DRY_RUN_USAGE, dryRunFilesOptions } from './dry-run-options';
import { collectFiles } from './files';
import type { CommandIO } from './io';
import { lintInputs, reachesSeverity } from './lint';
import { REVIEW_OPTIONS, REVIEW_USAGE, fileReports, reportContext, selectFiles, writeFileReports } from './review';
import { EXIT_CANCELLED, EXIT_FINDINGS, EXIT_OK, UsageError, choice } from './usage';

export const CHECK_USAGE = `Usage: preflight check [paths...] [options]

What a CI job runs on every pull request: lints the migration files and dry-runs them on a real
PostgreSQL (always rolled back), in one report. Without paths it checks the "migrations" directories
of .preflightrc.json.

A statement that fails in the dry-run is an error finding (dry-run-failed); a sequential scan of a big
table is a warning (dry-run-seq-scan).

Options:
  --format <name>          ${Object.keys(REPORTERS).join(' | ')} (default: pretty)
  --config <file>          use this config file instead of searching for .preflightrc.json
  --fail-on <severity>     error | warning | info: exit 1 when a finding is at least this severe (default: warning)
  --database-url <url>     dry-run (and read the schema) on this database instead of the embedded one after
                           replaying earlier migrations: a postgres:// URL, a connection named in
                           .preflightrc.json, or "env" (DATABASE_URL / PG* variables)
${DRY_RUN_USAGE}${REVIEW_USAGE}
Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage, config or connection error, 130 cancelled.
`;

export async function checkCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      config: { type: 'string' },
      'fail-on': { type: 'string' },
      'database-url': { type: 'string' },
      ...DRY_RUN_OPTIONS,
      ...REVIEW_OPTIONS,
    },
  });
  const format = choice('format', values.format, Object.keys(REPORTERS), 'pretty');
  const failOn = choice<Severity>('fail-on', values['fail-on'], ['error', 'warning', 'info'], 'warning');
  const context = reportContext(values, io);
  const outputs = fileReports(values);

  const paths = positionals.length > 0 ? positionals : configuredMigrationDirectories(values.config);
  const files = selectFiles(collectFiles(paths), values);
  const linted = await lintInputs(
    files.map((file) => ({ displayPath: file, read: () => readUserFile(file) })),
    { explicitConfig: values.config, databaseUrl: values['database-url'] },
    io,
  );

  const { reports, cancelled } = await dryRunFiles(linted, dryRunFilesOptions(values), io);

  writeFileReports(outputs, reports, context);
  io.stdout(REPORTERS[format](reports, context));
  if (cancelled) return EXIT_CANCELLED;
  return reachesSeverity(reports, failOn) ? EXIT_FINDINGS : EXIT_OK;
}

/** The `migrations` directories of the config that applies here, relative to the working directory. */
function configuredMigrationDirectories(explicitConfig: string | undefined): string[] {
  const cwd = process.cwd();
  // Config is looked up for a file: the one that would apply to a file in the working directory.
  const config = new ConfigCache().configFor(path.join(cwd, CONFIG_FILE_NAME), explicitConfig);
  const directories = config.migrations.map(
    (entry) => path.relative(cwd, path.resolve(config.rootDir, entry.path)) || '.',
  );
  if (directories.length === 0) {
    throw new UsageError(
      'name the migration files or directories to check (or list them under "migrations" in .preflightrc.json)',
    );
  }
  return directories;
}
