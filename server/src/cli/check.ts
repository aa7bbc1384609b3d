import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { CONFIG_FILE_NAME, ConfigCache } from '../config';
import { Severity } from '../lint/rule';
import { REPORTERS } from '../report';
import { collectFiles } from './files';
import { CommandIO, lintInputs, reachesSeverity } from './lint';
import { REVIEW_OPTIONS, REVIEW_USAGE, fileReports, reportContext, selectFiles, writeFileReports } from './review';
import { EXIT_FINDINGS, EXIT_OK, UsageError, choice } from './usage';

export const CHECK_USAGE = `Usage: preflight check [paths...] [options]

What a CI job runs on every pull request: lints the migration files and dry-runs them on a real
PostgreSQL (always rolled back), in one report. Without paths it checks the "migrations" directories
of .preflightrc.json.

Options:
  --format <name>          ${Object.keys(REPORTERS).join(' | ')} (default: pretty)
  --config <file>          use this config file instead of searching for .preflightrc.json
  --fail-on <severity>     error | warning | info: exit 1 when a finding is at least this severe (default: warning)
${REVIEW_USAGE}`;

export async function checkCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      config: { type: 'string' },
      'fail-on': { type: 'string' },
      ...REVIEW_OPTIONS,
    },
  });
  const format = choice('format', values.format, Object.keys(REPORTERS), 'pretty');
  const failOn = choice<Severity>('fail-on', values['fail-on'], ['error', 'warning', 'info'], 'warning');
  const context = reportContext(values, io);
  const outputs = fileReports(values);

  const paths = positionals.length > 0 ? positionals : configuredMigrationDirectories(values.config);
  const files = selectFiles(collectFiles(paths), values);
  const reports = await lintInputs(
    files.map((file) => ({ displayPath: file, read: () => fs.readFileSync(file) })),
    { explicitConfig: values.config },
    io,
  );

  writeFileReports(outputs, reports, context);
  io.stdout(REPORTERS[format](reports, context));
  return reachesSeverity(reports, failOn) ? EXIT_FINDINGS : EXIT_OK;
}

/** The `migrations` directories of the config that applies here, relative to the working directory. */
function configuredMigrationDirectories(explicitConfig: string | undefined): string[] {
  const cwd = process.cwd();
  // Config is looked up for a file: the one that would apply to a file in the working directory.
  const config = new ConfigCache().configFor(path.join(cwd, CONFIG_FILE_NAME), explicitConfig);
  const directories = config.migrations.map((entry) => path.relative(cwd, path.resolve(config.rootDir, entry.path)) || '.');
  if (directories.length === 0) {
    throw new UsageError('name the migration files or directories to check (or list them under "migrations" in .preflightrc.json)');
  }
  return directories;
}
