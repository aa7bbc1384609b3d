import * as os from 'os';
import { ResolvedConfig, dialectOf, migrationDirectoryOf } from '../resolved-config';
import { DIALECT_NAMES } from '../parse/dialect';
import { MigrationFile, parseMigration } from '../parse/migration';
import type { Span } from '../parse/text';
import { loadSqlParser } from '../parse/sql';
import { readUserText } from '../source-files';
import { resolveTarget } from './connection';
import { displaySql } from './display-sql';
import { DryRunError, environmentSecrets, scrubValue } from './errors';
import { Execution, executeScript } from './executor';
import { DEFAULT_SEQ_SCAN_THRESHOLD } from './plan';
import { DRY_RUN_REPORT_VERSION, DatabaseInfo, DryRunReport, StatementReport } from '../../../shared/protocol';
import { CLI_WORDING, type FrontEndWording } from './wording';
import type { DryRunSession } from './session';
import { asDryRunError, onDatabase } from './open-database';
import { dryRunLimits } from './settings';
import { roleNames } from './statement-policy';
import { executionUnits, selectionHint } from './units';

export { DryRunError, EmbeddedNotInstalled } from './errors';
export { embeddedPostgresInstalled } from './embedded-cluster';
export { stopEmbeddedServer } from './embedded';
export { dryRunProgram, isPlainScript, type ProgramDryRunOptions } from './program';
export type * from '../../../shared/protocol';

export interface DryRunOptions {
  /** Absolute path of the migration (decides language, directory, config). */
  file: string;
  /** Unsaved editor text; read from disk when absent. */
  text?: string;
  /** "Dry run selection": UTF-16 file offsets; only statements overlapping it run. */
  range?: { start: number; end: number };
  /** A postgres:// URL or the name of a connection in config; absent → DATABASE_URL / PG* env → config's defaultConnection → embedded. */
  databaseUrl?: string;
  /** From VS Code SecretStorage; never logged or reported. */
  password?: string;
  allowRemote?: boolean;
  /** e.g. '5s' (default). */
  lockTimeout?: string;
  /** e.g. '60s' (default). */
  statementTimeout?: string;
  /**
   * The time limit of the whole run, from BEGIN to ROLLBACK (the embedded server's start and replay are not
   * counted), e.g. '10min' (default); '0' for none. A watchdog on a second connection enforces it.
   */
  timeout?: string;
  config: ResolvedConfig;
  /** Cancellation: the transaction is rolled back, the report says 'cancelled'. */
  signal?: AbortSignal;
  onProgress?: (event: { message: string; done?: number; total?: number }) => void;
  /** Run statements whose effects escape the transaction (COPY ... PROGRAM, dblink, ...). Default false. */
  allowSideEffects?: boolean;
  /** How messages name the switches that lift a refusal and where a connection came from; the CLI's flags by default. */
  wording?: FrontEndWording;
  /** Run the plain form of CREATE INDEX CONCURRENTLY & co. in a savepoint to show locks and errors. Default true. */
  nonConcurrentForms?: boolean;
  /** Tables from this many rows up are flagged when scanned sequentially. Default 10,000. */
  seqScanThreshold?: number;
  /** Environment for DATABASE_URL, PG* variables and the cache directory; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Home directory for ~/.pgpass, ~/.pg_service.conf and ~/.cache; default `os.homedir()`. */
  homeDir?: string;
  /** Keep the embedded PostgreSQL running this long after the dry-run (the language server); default 0. */
  embeddedIdleMs?: number;
  /**
   * Replay the earlier framework migrations through the project's own framework, which runs the project's
   * code: only where running it was asked for (`dryRunFile`, the CLI's `dry-run FILE`). Default false: their SQL is
   * replayed statically, as lint and `check` see it.
   */
  replayThroughFrameworks?: boolean;
}

/**
 * Runs a migration against a real PostgreSQL in one transaction that is always rolled back, and reports
 * per statement what happened: errors where they occur, locks, rewrites, plans, notices, and the side
 * effects that survive ROLLBACK. Throws DryRunError for problems with the request or the connection.
 */
export async function dryRun(options: DryRunOptions): Promise<DryRunReport> {
  const dialect = dialectOf(options.config, options.file);
  if (dialect !== 'postgresql') {
    throw new DryRunError(
      `${options.file} is a ${DIALECT_NAMES[dialect]} migration ("dialect": "${dialect}" in its config): dry-run runs PostgreSQL migrations only`,
    );
  }
  const started = Date.now();
  const { lockTimeout, statementTimeout, timeLimit } = dryRunLimits(options);
  const env = options.env ?? process.env;
  const homeDir = options.homeDir ?? os.homedir();
  const text = options.text ?? readMigration(options.file);
  await loadSqlParser();
  const directory = migrationDirectoryOf(options.config, options.file);
  const file = parseMigration(options.file, text, {
    transactionMode: directory?.transaction,
    runner: directory?.runner,
  });
  const units = executionUnits(file, options.range);
  const target = resolveTarget({ ...options, env, homeDir });
  // Passwords involved, and the values of secret-looking variables of the environment given and of this
  // process (the language server gives the engine a copy without PG* variables).
  const secrets = [
    ...(target.kind === 'server' ? target.secrets : options.password ? [options.password] : []),
    ...environmentSecrets(env),
    ...environmentSecrets(process.env),
  ];
  const progress = (message: string) => options.onProgress?.({ message });
  const execute = (session: DryRunSession) =>
    executeScript({
      databaseKind: target.kind,
      session,
      file,
      units,
      lockTimeout,
      statementTimeout,
      timeLimit,
      allowSideEffects: options.allowSideEffects ?? false,
      wording: options.wording ?? CLI_WORDING,
      nonConcurrentForms: options.nonConcurrentForms ?? true,
      seqScanThreshold: options.seqScanThreshold ?? DEFAULT_SEQ_SCAN_THRESHOLD,
      formatSql: (sql) => displaySql(sql, options.config.format),
      signal: options.signal,
      onProgress: options.onProgress,
    });

  let database: DatabaseInfo;
  let execution: Execution;
  try {
    const roles = roleNames(units.flatMap((unit) => (unit.statement ? [unit.statement] : [])));
    ({ database, result: execution } = await onDatabase(
      {
        ...options,
        env,
        homeDir,
        target,
        secrets,
        roles,
        progress,
        replayThroughFrameworks: options.replayThroughFrameworks ?? false,
      },
      execute,
    ));
  } catch (error) {
    throw asDryRunError(error, secrets);
  }

  const report: DryRunReport = {
    version: DRY_RUN_REPORT_VERSION,
    file: options.file,
    database,
    committed: false,
    outcome: execution.outcome,
    statements: options.range ? withSelectionHints(execution.statements, file, options.range) : execution.statements,
    sideEffects: execution.sideEffects,
    ...(execution.interrupted ? { interrupted: execution.interrupted } : {}),
    settings: { lockTimeout, statementTimeout, timeout: timeLimit },
    ...(options.range ? { range: options.range } : {}),
    durationMs: Date.now() - started,
  };
  return scrubValue(report, secrets);
}

/** A failed statement of a selection that needed what the statements above it create says so in its hint. */
function withSelectionHints(statements: StatementReport[], file: MigrationFile, range: Span): StatementReport[] {
  return statements.map((statement) => {
    const hint = statement.error && selectionHint(file, range, statement.error.code);
    if (!statement.error || !hint) return statement;
    return {
      ...statement,
      error: { ...statement.error, hint: statement.error.hint ? `${statement.error.hint}\n${hint}` : hint },
    };
  });
}

function readMigration(file: string): string {
  const decoded = readUserText(file);
  if ('problem' in decoded)
    throw new DryRunError(`${file}: ${decoded.problem.replace(/not linted$/, 'cannot be dry-run')}`);
  return decoded.text;
}
