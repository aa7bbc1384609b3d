import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { CONFIG_FILE_NAME, ConfigCache } from '../config';
import { ResolvedConfig, Severity, isIgnored } from '../resolved-config';
import { LintResult, initEngine, unreadableFileResult } from '../lint/engine';
import { Diagnostic } from '../lint/rule';
import { explainRunner } from '../lint/runner-explanation';
import { REPORTERS } from '../report';
import { ReportFile, positionDiagnostics } from '../report/types';
import { MigrationListings } from '../schema/directory';
import { UserFileRead, decodeSource, readUserFile } from '../source-files';
import { DRY_RUN_OPTIONS, DRY_RUN_USAGE, dryRunFilesOptions, rejectDryRunOptionsWithout } from './dry-run-options';
import { collectFiles } from './files';
import { fixFile } from './fix';
import type { CommandIO } from './io';
import { CACHE_DIRECTORY, LintCache } from './lint-cache';
import { LintJob, RunLinter, lintInThreads, threadCount } from './lint-threads';
import { REVIEW_OPTIONS, REVIEW_USAGE, fileReports, reportContext, selectFiles, writeFileReports } from './review';
import { EXIT_CANCELLED, EXIT_FINDINGS, EXIT_OK, UsageError, choice } from './usage';

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export const LINT_USAGE = `Usage: preflight lint [paths...] [options]

Lints SQL and TS/JS migration files (directories are searched recursively).

Options:
  --format <name>          ${Object.keys(REPORTERS).join(' | ')} (default: pretty)
  --config <file>          use this config file instead of searching for .preflightrc.json
  --fail-on <severity>     error | warning | info: exit 1 when a finding is at least this severe (default: warning)
  --fix                    apply the safe quick fixes to the files (atomically), then report what remains
  --stdin                  read the file to lint from standard input
  --stdin-filepath <path>  the path of the file read with --stdin (decides its language and config)
  --database-url <url>     read the schema from this database (a postgres:// URL, a connection named in config,
                           or "env" for DATABASE_URL / PG* variables) instead of replaying earlier migrations
  --threads <n>            lint on n threads (default: one per core but one, once there are hundreds of files)
  --no-cache               re-lint every file instead of reusing results kept in .preflight-cache/
  --explain-runner <dir>   say which migration runner (goose, dbmate, sql-migrate, psql) the .sql files of <dir>
                           are linted for and why, then exit
  --dry-run                also dry-run the files, as \`preflight check\` does (on --database-url if given), and
                           report each file's statements, locks and failures with its findings
${DRY_RUN_USAGE}${REVIEW_USAGE}`;

export async function lintCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      config: { type: 'string' },
      'fail-on': { type: 'string' },
      stdin: { type: 'boolean' },
      'stdin-filepath': { type: 'string' },
      'database-url': { type: 'string' },
      fix: { type: 'boolean' },
      threads: { type: 'string' },
      'no-cache': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'explain-runner': { type: 'string' },
      ...DRY_RUN_OPTIONS,
      ...REVIEW_OPTIONS,
    },
  });
  if (values['explain-runner'] !== undefined) return explainRunnerCommand(values['explain-runner'], values.config, io);
  const format = choice('format', values.format, Object.keys(REPORTERS), 'pretty');
  const failOn = choice<Severity>('fail-on', values['fail-on'], ['error', 'warning', 'info'], 'warning');
  if (values.stdin && positionals.length > 0) throw new UsageError('--stdin takes no paths');
  if (!values.stdin && positionals.length === 0)
    throw new UsageError('name the files or directories to lint (or use --stdin)');
  if (values.stdin && values.fix) throw new UsageError('--fix rewrites files; it does not apply to --stdin');
  if (values.stdin && (values['changed-since'] !== undefined || values.shard !== undefined)) {
    throw new UsageError('--changed-since and --shard select files to lint; they do not apply to --stdin');
  }
  if (!values['dry-run']) rejectDryRunOptionsWithout(values);
  const context = reportContext(values, io);
  const outputs = fileReports(values);

  const inputs: LintInput[] = values.stdin
    ? [{ displayPath: values['stdin-filepath'] ?? 'stdin.sql', read: () => ({ bytes: fs.readFileSync(0) }) }]
    : selectFiles(collectFiles(positionals), values).map((file) => ({
        displayPath: file,
        read: () => readUserFile(file),
      }));
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new UsageError(`--threads takes a whole number of at least 1, not "${values.threads}"`);
  }
  const linted = await lintInputs(
    inputs,
    {
      explicitConfig: values.config,
      stdin: values.stdin,
      databaseUrl: values['database-url'],
      fix: values.fix,
      cache: !values['no-cache'],
      threads,
    },
    io,
  );
  const { reports, cancelled } = values['dry-run']
    ? await (await import('./dry-run-files')).dryRunFiles(linted, dryRunFilesOptions(values), io)
    : { reports: linted, cancelled: false };

  writeFileReports(outputs, reports, context);
  io.stdout(REPORTERS[format](reports, context));
  if (cancelled) return EXIT_CANCELLED;
  return reachesSeverity(reports, failOn) ? EXIT_FINDINGS : EXIT_OK;
}

/** The runner the engine picks for a directory's .sql files, and why (the same parse lint and the editor make). */
function explainRunnerCommand(directory: string, explicitConfig: string | undefined, io: CommandIO): number {
  const config = new ConfigCache().configFor(path.resolve(directory, CONFIG_FILE_NAME), explicitConfig);
  const explanation = explainRunner(directory, config);
  io.stdout(
    `${explanation.directory}: ${explanation.runner}\n${explanation.reasons.map((reason) => `  ${reason}\n`).join('')}`,
  );
  return EXIT_OK;
}

/** Whether a finding is at least as severe as `--fail-on`: the exit code of lint and check. */
export function reachesSeverity(reports: ReportFile[], failOn: Severity): boolean {
  return reports.some((file) => file.diagnostics.some((d) => SEVERITY_RANK[d.severity] >= SEVERITY_RANK[failOn]));
}

export interface LintInput {
  displayPath: string;
  /** The file's bytes, or why it cannot be read (that file's problem in the report). */
  read: () => UserFileRead;
}

export interface LintInputsOptions {
  explicitConfig?: string;
  stdin?: boolean;
  databaseUrl?: string;
  fix?: boolean;
  /** Reuse and keep results in `.preflight-cache/` (see LintCache). */
  cache?: boolean;
  /** Worker threads (`--threads`); default: as many as cores and files allow. */
  threads?: number;
}

/**
 * Lints files with the config that applies to each, on the schema before each; `ignore` globs do not apply to
 * stdin. The reports come in the order of `inputs`, whether files were linted on one thread or several, or came
 * from the cache.
 */
export async function lintInputs(
  inputs: LintInput[],
  options: LintInputsOptions,
  io: CommandIO,
): Promise<ReportFile[]> {
  const { explicitConfig } = options;
  const run = new RunLinter({ explicitConfig, databaseUrl: options.databaseUrl });
  if (explicitConfig) run.configs.configFor(explicitConfig, explicitConfig);
  // --fix rewrites files in order, and a live database is read once per thread: both stay on this thread.
  const oneThread = options.fix || options.stdin || options.databaseUrl !== undefined;
  const cache =
    options.cache && !oneThread ? LintCache.open(path.resolve(CACHE_DIRECTORY), new MigrationListings()) : undefined;

  const progress = new ProgressLine(io.stderrIsTTY, inputs.length);
  // Files linted later (on worker threads) fill their slot when done.
  const reports: (ReportFile | undefined)[] = [];
  const jobs: PendingFile[] = [];
  const configs = new Set<ResolvedConfig>();
  for (const input of inputs) {
    const absolutePath = path.resolve(input.displayPath);
    const config = run.configs.configFor(absolutePath, explicitConfig);
    configs.add(config);
    if (!options.stdin && isIgnored(config, absolutePath)) continue;
    const read = input.read();
    const bytes = 'bytes' in read ? read.bytes : Buffer.alloc(0);
    const decoded = 'bytes' in read ? decodeSource(bytes) : read;
    if (oneThread) {
      progress.tick(io.stderr);
      await initEngine();
      const lint = await run.linter(absolutePath, config);
      let text = 'text' in decoded ? decoded.text : '';
      let result: LintResult;
      if ('problem' in decoded) result = unreadableFileResult(input.displayPath, decoded.problem);
      else if (options.fix) ({ text, result } = fixFile(input.displayPath, bytes, decoded.text, lint, io.stderr));
      else result = lint(text);
      reports.push(positionDiagnostics(result, text, input.displayPath, absolutePath));
      continue;
    }
    if ('problem' in decoded) {
      progress.tick(io.stderr);
      reports.push(
        positionDiagnostics(
          unreadableFileResult(input.displayPath, decoded.problem),
          '',
          input.displayPath,
          absolutePath,
        ),
      );
      continue;
    }
    const key = cache?.key(absolutePath, bytes, config);
    const cached = key !== undefined ? cache?.get(absolutePath, key) : undefined;
    if (cached) {
      progress.tick(io.stderr);
      reports.push(
        positionDiagnostics({ path: absolutePath, diagnostics: cached }, decoded.text, input.displayPath, absolutePath),
      );
      continue;
    }
    jobs.push({ index: reports.length, absolutePath, text: decoded.text, config, displayPath: input.displayPath, key });
    reports.push(undefined);
  }

  const done = (job: PendingFile, diagnostics: Diagnostic[]) => {
    progress.tick(io.stderr);
    reports[job.index] = positionDiagnostics(
      { path: job.absolutePath, diagnostics },
      job.text,
      job.displayPath,
      job.absolutePath,
    );
    if (job.key !== undefined) cache?.set(job.absolutePath, job.key, diagnostics);
  };
  const threads = threadCount(jobs.length, options.threads);
  if (threads > 1) {
    await lintInThreads(jobs, threads, { explicitConfig }, done);
  } else if (jobs.length > 0) {
    await initEngine();
    for (const job of jobs) done(job, (await run.linter(job.absolutePath, job.config))(job.text).diagnostics);
  }
  cache?.save();
  progress.clear(io.stderr);
  return [...schemaFileReports(configs, run), ...(reports as ReportFile[])];
}

/**
 * A `schemaFile` that cannot be replayed (not a regular file, unreadable, ...) is reported as that file's problem,
 * first, as it is replayed first: the findings after it were made on a schema without it.
 */
function schemaFileReports(configs: Iterable<ResolvedConfig>, run: RunLinter): ReportFile[] {
  const reports = new Map<string, ReportFile>();
  for (const config of configs) {
    const problem = run.schemaFileProblem(config);
    if (problem === undefined || reports.has(config.schemaFile!)) continue;
    const displayPath = path.relative(process.cwd(), config.schemaFile!);
    reports.set(
      config.schemaFile!,
      positionDiagnostics(unreadableFileResult(displayPath, problem), '', displayPath, config.schemaFile!),
    );
  }
  return [...reports.values()];
}

/** A file to lint, with what its report needs and its cache key. */
interface PendingFile extends LintJob {
  displayPath: string;
  key?: string;
}

/** "linting 120/2000 files" on a terminal, once a run has taken more than a second. */
class ProgressLine {
  private readonly startedAt = Date.now();
  private done = 0;
  private shown = false;

  constructor(
    private readonly enabled: boolean,
    private readonly total: number,
  ) {}

  tick(write: (text: string) => void): void {
    this.done++;
    if (!this.enabled || Date.now() - this.startedAt < 1000) return;
    this.shown = true;
    write(`\rlinting ${this.done}/${this.total} files`);
  }

  clear(write: (text: string) => void): void {
    if (this.shown) write('\r\x1b[K');
  }
}
