import * as os from 'os';
import * as path from 'path';
import { ResolvedConfig, migrationDirectoryOf } from '../resolved-config';
import { parseMigration } from '../parse/migration';
import { loadSqlParser } from '../parse/sql';
import { DRY_RUN_REPORT_VERSION, DryRunReport, ProgramRun, SideEffect, TableChange } from '../../../shared/protocol';
import { resolveTarget } from './connection';
import { measureDataChanges } from './data-changes';
import { displaySql } from './display-sql';
import { environmentSecrets, scrubValue } from './errors';
import { asDryRunError, onDatabase } from './open-database';
import { dryRunLimits } from './settings';
import { DEFAULT_SEQ_SCAN_THRESHOLD } from './plan';
import { LiveStatements } from './proxy/live-statements';
import { programEnvironment, runProgram, typescriptHook } from './proxy/program-process';
import { TransactionProxy } from './proxy/proxy-server';
import { readRefusals } from './proxy/database-redirect';
import { StatementSources, filesNamedBy } from './proxy/statement-sources';
import { warnSessionHazards } from './proxy/session-hazards';
import type { DryRunSession } from './session';
import { toMilliseconds } from './session-limits';
import { RolledBackTransaction } from './transaction-frame';
import { CLI_WORDING, type FrontEndWording } from './wording';
import { SCRIPT_EXTENSIONS } from './frameworks/framework-plan';

export interface ProgramDryRunOptions {
  /**
   * A shell command (`--exec`), a JS/TS script run with node, or a node program of Preflight's own that runs FILE
   * (a migration through its framework: frameworks/framework-runner.ts), with the TypeScript preload.
   */
  program: { exec: string } | { script: string } | { node: { args: string[]; file: string; command: string } };
  /** The program's working directory; also where the migrations to replay are looked for. */
  cwd: string;
  config: ResolvedConfig;
  databaseUrl?: string;
  password?: string;
  allowRemote?: boolean;
  allowSideEffects?: boolean;
  lockTimeout?: string;
  statementTimeout?: string;
  /** The whole run's time limit, the program's included: past it the program is killed. */
  timeout?: string;
  wording?: FrontEndWording;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  signal?: AbortSignal;
  onProgress?: (event: { message: string }) => void;
  /** Keep the embedded PostgreSQL running this long after the dry-run (the language server); default 0. */
  embeddedIdleMs?: number;
}

/**
 * A JS/TS file that is a plain script (pg, postgres-js, ...) rather than a migration of a framework or a file of a
 * migration directory: `preflight dry-run` runs it through the transaction proxy. Migrations keep the dry-run of
 * their SQL until they run through their own framework.
 */
export async function isPlainScript(file: string, text: string, config: ResolvedConfig): Promise<boolean> {
  if (!SCRIPT_EXTENSIONS.test(file) || migrationDirectoryOf(config, file)) return false;
  await loadSqlParser();
  return parseMigration(file, text, {}).host?.framework === 'script';
}

/** Said in every program's report: the dry-run's guarantee stops at PostgreSQL. */
export const OUTSIDE_EFFECTS =
  "effects outside PostgreSQL are not undone: files the program wrote, HTTP requests, messages it queued, other databases' writes stay done";

/**
 * Runs a program against the transaction proxy: every connection it opens is served inside the dry-run's one
 * transaction, which is rolled back at the end, with each statement checked, limited and reported as a
 * migration's statements are. Running code is the caller's decision (the CLI's `--exec` or script argument).
 */
export async function dryRunProgram(options: ProgramDryRunOptions): Promise<DryRunReport> {
  const started = Date.now();
  const { lockTimeout, statementTimeout, timeLimit } = dryRunLimits(options);
  const env = options.env ?? process.env;
  const homeDir = options.homeDir ?? os.homedir();
  await loadSqlParser();
  const file =
    'script' in options.program
      ? path.resolve(options.cwd, options.program.script)
      : 'node' in options.program
        ? options.program.node.file
        : path.join(options.cwd, 'preflight-exec');
  const target = resolveTarget({ ...options, env, homeDir });
  const databaseSecrets = target.kind === 'server' ? target.secrets : options.password ? [options.password] : [];
  const secrets = [...databaseSecrets, ...environmentSecrets(env), ...environmentSecrets(process.env)];
  const command =
    'exec' in options.program
      ? options.program.exec
      : 'node' in options.program
        ? options.program.node.command
        : `node ${options.program.script}`;
  const progress = (message: string) => options.onProgress?.({ message });
  const sources = new StatementSources();
  // Beside the statement notes, in the same private directory, removed with it.
  const refusalsFile = path.join(path.dirname(sources.notesFile), 'refused-connections');

  const run = async (session: DryRunSession) => {
    const databaseKind = target.kind;
    const allowSideEffects = options.allowSideEffects ?? false;
    const { proxy, endpoint } = await TransactionProxy.start(session, sources);
    // The program starts while the transaction is being set up (a Node program's own start-up takes longer): its
    // connections wait for their first statement until the proxy serves.
    progress(`running ${command}`);
    const setUpFailed = new AbortController();
    const exited = runProgram({
      ...('exec' in options.program
        ? { command: options.program.exec, shell: true }
        : {
            command: process.execPath,
            args: [
              '--require',
              typescriptHook(),
              ...('node' in options.program ? options.program.node.args : [options.program.script]),
            ],
            shell: false,
          }),
      cwd: options.cwd,
      env: {
        ...programEnvironment(env, endpoint, databaseSecrets, { serverPort: session.serverPort, refusalsFile }),
        PREFLIGHT_STATEMENT_SOURCES: sources.notesFile,
      },
      timeLimitMs: toMilliseconds(timeLimit),
      signal: options.signal ? AbortSignal.any([options.signal, setUpFailed.signal]) : setUpFailed.signal,
    });
    let frame: RolledBackTransaction;
    try {
      frame = await RolledBackTransaction.begin(session, { lockTimeout, statementTimeout, timeLimit });
    } catch (error) {
      setUpFailed.abort();
      await exited;
      await proxy.stop();
      throw error;
    }
    const live = new LiveStatements({
      session,
      frame,
      databaseKind,
      allowSideEffects,
      wording: options.wording ?? CLI_WORDING,
      seqScanThreshold: DEFAULT_SEQ_SCAN_THRESHOLD,
      formatSql: (sql) => displaySql(sql, options.config.format),
    });
    proxy.serve(live);
    // runProgram never rejects: a program that fails to start, throws or is killed is an exit like any other.
    const exit = await exited;
    const connections = proxy.connections;
    let sideEffects: SideEffect[] = [];
    let dataChanges: TableChange[] | undefined;
    try {
      await proxy.stop();
      // Measured before the ROLLBACK, from inside the transaction every connection of the program shared.
      if (!session.lost && connections > 0) {
        progress('measuring what the program changed');
        dataChanges = await measureDataChanges(session).catch(() => undefined);
      }
    } finally {
      sideEffects = await frame.end({ databaseKind, allowSideEffects, advisoryTakenBy: live.advisoryTakenBy });
    }
    return { live, exit, connections, sideEffects, dataChanges, lost: session.lost };
  };

  let outcome: Awaited<ReturnType<typeof onDatabase<Awaited<ReturnType<typeof run>>>>>;
  try {
    outcome = await onDatabase(
      {
        file,
        config: options.config,
        target,
        env,
        homeDir,
        embeddedIdleMs: options.embeddedIdleMs,
        roles: { used: new Set(), created: new Set() },
        // Running the program runs the project's code already.
        replayThroughFrameworks: true,
        secrets,
        progress,
      },
      run,
    );
  } catch (error) {
    sources.dispose();
    throw asDryRunError(error, secrets);
  }
  const { database, result } = outcome;
  const { live, exit, connections, sideEffects, dataChanges, lost } = result;
  const reportFile = 'exec' in options.program ? command : file;
  let refusals: string[];
  try {
    sources.attach(live.reports, reportFile, 'exec' in options.program ? filesNamedBy(command, options.cwd) : [file]);
    refusals = readRefusals(refusalsFile);
  } finally {
    sources.dispose();
  }
  warnSessionHazards(live.reports);
  const program: ProgramRun = {
    command,
    exitCode: exit.exitCode,
    signal: exit.signal,
    timedOut: exit.timedOut,
    connections,
    stdout: exit.stdout,
    stderr: exit.stderr,
    outsideEffects: OUTSIDE_EFFECTS,
  };
  const interrupted: DryRunReport['interrupted'] = lost
    ? {
        reason: 'connection-lost',
        message: `the connection to the server was lost (${lost.message}); PostgreSQL rolled the transaction back, nothing was committed`,
      }
    : exit.timedOut
      ? {
          reason: 'timeout',
          message: `the dry-run's time limit (${timeLimit}) passed: the program was killed; rolled back, nothing committed`,
        }
      : options.signal?.aborted
        ? { reason: 'cancelled', message: 'cancelled: the program was killed and the transaction rolled back' }
        : undefined;
  const failed =
    exit.exitCode !== 0 ||
    connections === 0 ||
    // A connection to another database was refused: what ran is not what the program does in production.
    refusals.length > 0 ||
    interrupted !== undefined ||
    live.reports.some((report) => report.status === 'error');
  const report: DryRunReport = {
    version: DRY_RUN_REPORT_VERSION,
    file: reportFile,
    database,
    committed: false,
    outcome: options.signal?.aborted ? 'cancelled' : failed ? 'failed' : 'ok',
    statements: live.reports,
    sideEffects: [...live.sideEffects, ...sideEffects],
    ...(interrupted ? { interrupted } : {}),
    settings: { lockTimeout, statementTimeout, timeout: timeLimit },
    durationMs: Date.now() - started,
    program,
    ...(dataChanges && dataChanges.length > 0 ? { dataChanges } : {}),
    ...(refusals.length > 0 ? { notes: refusals } : {}),
  };
  return scrubValue(report, secrets);
}
