/**
 * The contract between the VS Code client and the language server (vscode-eslint's `$shared/`): what the
 * client sends, what the server answers, and what both must agree on. Both sides import this module and
 * nothing else of each other; it imports nothing, because the client bundles it.
 */

/**
 * The directory names migration tools use by default: Sequelize (`migrations`, `seeders`), Knex
 * (`migrations`, `seeds`), TypeORM (`migration`, `migrations`), node-pg-migrate and db-migrate
 * (`migrations`), Rails-style `db/migrate`. A TS/JS file is a migration inside one of these or inside a
 * directory that config `migrations` names: the client sends only those documents to the server, and the
 * server lints only those.
 */
export const CONVENTIONAL_MIGRATION_DIRECTORIES: readonly string[] = [
  'migrations',
  'migration',
  'seeds',
  'seeders',
  'db/migrate',
];

/** A position as LSP counts it: 0-based line, UTF-16 character. */
export interface ProtocolPosition {
  line: number;
  character: number;
}

/** `preflight.server.dryRun` arguments. */
export interface DryRunArguments {
  uri: string;
  /** "Dry run selection": only the statements it touches run. */
  range?: { start: ProtocolPosition; end: ProtocolPosition };
  /** Absent: the embedded PostgreSQL. The password comes from the client's secret storage, never from settings. */
  connection?: { name?: string; url: string; password?: string };
  /**
   * The user confirmed a dry-run on a server that is not on this machine (what `--allow-remote` says on the
   * command line). Without it such a dry-run is refused with `data: { remoteHost }`, so the editor can ask.
   */
  allowRemote?: boolean;
  /**
   * The user agreed that dry-running this file runs its own code (a plain script, run through the transaction
   * proxy), and the client saved it: a program runs as it is on disk. Without it such a dry-run is refused with
   * `data: { runsCode: true }` before anything runs, so the editor can ask first.
   */
  runCode?: boolean;
}

/**
 * The dry-run report, `preflight.server.dryRun`'s answer: issue 4's JSON shape (version 1). The CLI prints it
 * with `--format json` and the reporters in `server/src/report/dry-run-*.ts` render it. Other tools parse
 * it: fields are only ever added, never renamed or removed.
 */
export const DRY_RUN_REPORT_VERSION = 1;

export type StatementStatus = 'ok' | 'error' | 'skipped' | 'not-run';

export type DryRunOutcome = 'ok' | 'failed' | 'cancelled';

/** PostgreSQL's table lock modes as `pg_locks.mode` names them. */
export type PgLockMode =
  | 'AccessShareLock'
  | 'RowShareLock'
  | 'RowExclusiveLock'
  | 'ShareUpdateExclusiveLock'
  | 'ShareLock'
  | 'ShareRowExclusiveLock'
  | 'ExclusiveLock'
  | 'AccessExclusiveLock';

export interface DryRunReport {
  version: typeof DRY_RUN_REPORT_VERSION;
  /** The migration file, as given. */
  file: string;
  database: DatabaseInfo;
  /** Always false: a dry-run never commits. */
  committed: false;
  outcome: DryRunOutcome;
  statements: StatementReport[];
  /** Effects that survive ROLLBACK (or that ran outside the transaction). */
  sideEffects: SideEffect[];
  /** Set when the run stopped before the end for a reason other than a failing statement. */
  interrupted?: { reason: 'cancelled' | 'connection-lost' | 'timeout'; message: string };
  /** `timeout`: the whole run's time limit (absent in reports of versions before it existed). */
  settings: { lockTimeout: string; statementTimeout: string; timeout?: string };
  /** Only statements overlapping this range of the file ran (a "dry run selection"). */
  range?: { start: number; end: number };
  /** Wall time of the whole dry-run, connection and embedded start-up included. */
  durationMs: number;
  /** Set when a program ran against the transaction proxy instead of a migration's statements being sent. */
  program?: ProgramRun;
  /** A program's dry-run: what its statements changed, per table, measured before the rollback. */
  dataChanges?: TableChange[];
  /**
   * Addition (issue 13): one line each about how the file was dry-run when it differs from what was asked, e.g. a
   * Knex migration sent statically because the project does not have knex installed.
   */
  notes?: string[];
}

/** The rows one table gained, changed and lost during a dry-run, and the sums that moved. */
export interface TableChange {
  /** Schema-qualified: `public.orders`. */
  table: string;
  inserted: number;
  updated: number;
  deleted: number;
  /**
   * Numeric columns whose sum moved: `payment_accrued: -12340 over 118 rows` (`rows`: the rows the program
   * changed in the table). Amounts only: columns of a primary key, unique or foreign key, identities, serials and
   * columns named `id` or `*_id` are left out. Absent for tables over the size the dry-run reads in full (docs/dry-run.md).
   */
  numericSums: { column: string; delta: number; rows: number }[];
  /**
   * A few changed rows (at most 3), before and after; null before an insert and after a delete. Values as
   * PostgreSQL prints them (text); an update shows its primary key and the columns that differ.
   */
  samples: { before: Record<string, unknown> | null; after: Record<string, unknown> | null }[];
}

/** The program a dry-run ran (`dry-run --exec "<command>"`, or a JS/TS script) and what it did besides SQL. */
export interface ProgramRun {
  /** The command line, or `node <script>`. */
  command: string;
  /** null when it was killed (see `signal`). */
  exitCode: number | null;
  signal: string | null;
  /** The dry-run's time limit passed and the program was killed. */
  timedOut: boolean;
  /** Client connections it opened to the proxy; 0: it never connected. */
  connections: number;
  /** Its output, scrubbed of secrets, cut at 256 kB each. */
  stdout: string;
  stderr: string;
  /** Always said: ROLLBACK undoes what it did in PostgreSQL only. */
  outsideEffects: string;
}

export interface DatabaseInfo {
  kind: 'embedded' | 'server';
  serverVersion: string;
  host: string;
  port: number | null;
  database: string;
  user: string;
  /** Where the connection came from: `--database-url`, `DATABASE_URL`, `PG* environment`, ... */
  source: string;
  /** Earlier migrations replayed into the embedded database before FILE, in order (paths relative to the project). */
  replayed: string[];
  /** Earlier migrations that could not be replayed (fully), with why. */
  notReplayed: { file: string; reason: string }[];
  /** Things the embedded database did to make the replay possible (roles it created, ...). */
  notes: string[];
  /**
   * What the role the dry-run ran as can do outside the database, on the server's machine: `superuser`, or
   * each of `pg_execute_server_program`, `pg_read_server_files`, `pg_write_server_files` it holds. Empty: none.
   */
  serverAccess?: string[];
}

export interface StatementReport {
  index: number;
  /** 1-based lines and columns in FILE (also for SQL embedded in TS/JS). */
  line: number;
  endLine: number;
  column: number;
  endColumn: number;
  /** UTF-16 offsets into FILE, for editors. */
  startOffset: number;
  endOffset: number;
  /** The statement formatted for display (`sql-formatter`, PostgreSQL dialect). */
  sql: string;
  status: StatementStatus;
  /** PostgreSQL's command tag (`UPDATE`, `ALTER TABLE`), when it ran. */
  command: string | null;
  rowCount: number | null;
  durationMs: number | null;
  /** Locks this statement took on relations that existed before the dry-run. */
  locks: LockTaken[];
  /** Relations whose files were rewritten (relfilenode changed). */
  rewrites: Rewrite[];
  /** For UPDATE, DELETE, MERGE and INSERT ... SELECT: the plan taken before running it. */
  plan: PlanSummary | null;
  notices: Notice[];
  error: StatementError | null;
  /** Why the statement was skipped. */
  reason?: string;
  /** How the dry-run treated the statement, when it differs from running it as written. */
  note?: string;
  /**
   * A program's dry-run (`dry-run --exec`, a script run through the transaction proxy): the client connection it
   * came on, numbered from 1 in the order the program opened them. Its `line` is the line of FILE that sent it
   * (see `source`), 0 when none is known.
   */
  connection?: number;
  /**
   * A program's dry-run: the code that sent the statement, the innermost frame of the program's own code (not
   * node_modules) for JS/TS, else the statically extracted statement it matches. `call` names the call that
   * sent it (`queryInterface.bulkInsert`, `client.query`) so reports can group statements under it.
   */
  source?: { file: string; line: number; call?: string };
  /** Hazards the proxy sees across connections, e.g. an advisory lock unlocked on another connection than took it. */
  warnings?: string[];
}

export interface LockTaken {
  relation: string;
  /** `table`, `index`, `sequence`, `view`, `materialized view`, `foreign table`. */
  kind: string;
  mode: PgLockMode;
  /**
   * The everyday operations of other sessions that wait while this lock is held: `SELECT`,
   * `SELECT FOR UPDATE`, `INSERT`, `UPDATE`, `DELETE`, `VACUUM`, `CREATE INDEX`, `DDL`.
   */
  blocks: string[];
  /** The lock modes this mode conflicts with (PostgreSQL's lock conflict matrix). */
  conflictsWith: PgLockMode[];
  /** In a few words: `reads and writes`, `writes; reads continue`, `CREATE INDEX and DDL; reads and writes continue`. */
  blocksWork: string;
}

export interface Rewrite {
  relation: string;
  kind: string;
}

export interface PlanSummary {
  seqScans: SeqScan[];
  /** `EXPLAIN (FORMAT JSON, VERBOSE)` output, as PostgreSQL returned it. */
  explain: unknown;
  /**
   * A program's statement repeated with other constants (an UPDATE in a loop): the plan shown is the one taken for
   * statement `plannedAt` (its `index`), the first run of that statement in the same schema.
   */
  plannedAt?: number;
}

export interface SeqScan {
  relation: string;
  /** The table's row estimate (`pg_class.reltuples`, or live tuples when never analysed). */
  estimatedRows: number;
  /** The table is at least the threshold's size: in production this scan reads it all. */
  flagged: boolean;
  /**
   * Whether any index could serve this scan: false when the planner still scans sequentially with
   * `enable_seqscan = off` (the filter does not match an index's leading columns).
   */
  indexCouldServe: boolean | null;
  filter: string | null;
}

export interface Notice {
  severity: string;
  code: string;
  message: string;
  detail: string | null;
  hint: string | null;
}

export interface StatementError {
  /** SQLSTATE. */
  code: string;
  message: string;
  detail: string | null;
  hint: string | null;
  /** Where in FILE the error points (PostgreSQL's error position, or the statement's start). */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** PostgreSQL's CONTEXT (e.g. the PL/pgSQL line of a function or DO block). */
  context: string | null;
  /**
   * Set when `lock_timeout` or `statement_timeout` cancelled the statement (the server's timer, or the
   * dry-run's watchdog when the script had lifted the limit), or the dry-run's own time limit (`--timeout`).
   */
  timeout?: 'lock_timeout' | 'statement_timeout' | 'dry-run-timeout';
  /** Sessions that held the lock the statement waited for. */
  blockedBy?: { pid: number; query: string; state: string | null }[];
  /** The error was raised when the migration's transaction commits (deferred constraints and triggers). */
  atCommit?: boolean;
}

export interface SideEffect {
  kind: 'sequence' | 'advisory-lock' | 'notify' | 'foreign-table' | 'external' | 'dead-rows';
  object: string;
  detail: string;
  /** The statement that caused it, when known. */
  statementIndex?: number;
}

/*
 * Wording both sides use, so that the editor's panel and the CLI's reports write one run's figures alike.
 */

/** `3 ms`, `120 ms`, `1.5 s`. */
export function formatDuration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${Number(ms.toFixed(1))} ms`;
}

/** `1 row`, `12,000 rows`. */
export function formatRows(count: number): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'row' : 'rows'}`;
}

/** Text for HTML text and attribute values: the dry-run panel and `--format html` show SQL and server messages. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** `−12,340`, `+1,234.5`: a signed amount, with a real minus sign. */
export function formatDelta(delta: number): string {
  const size = Math.abs(delta).toLocaleString('en-US', { maximumFractionDigits: 6 });
  return `${delta < 0 ? '\u2212' : '+'}${size}`;
}

/** `public.visits: 7 rows updated; payment_accrued: −12,340 over 118 rows`, one table of `dataChanges`. */
export function formatTableChange(change: TableChange): string {
  const counts = (
    [
      [change.inserted, 'inserted'],
      [change.updated, 'updated'],
      [change.deleted, 'deleted'],
    ] as const
  )
    .filter(([count]) => count > 0)
    .map(([count, what]) => `${formatRows(count)} ${what}`);
  return [`${change.table}: ${counts.join(', ')}`, ...change.numericSums.map(formatNumericSum)].join('; ');
}

/** `payment_accrued: −12,340 over 118 rows`. */
export function formatNumericSum(sum: TableChange['numericSums'][number]): string {
  return `${sum.column}: ${formatDelta(sum.delta)} over ${formatRows(sum.rows)}`;
}

/**
 * One before/after sample: `id 4: payment_accrued 120.00 → 100.00, status open → over_limit` for an update (the
 * columns it shows unchanged are the row's key), `inserted: id 11, amount 5`, `deleted: id 5, amount 5`.
 */
export function formatChangeSample(sample: TableChange['samples'][number]): string {
  const values = (row: Record<string, unknown>) =>
    Object.entries(row)
      .map(([column, value]) => `${column} ${value === null ? 'NULL' : String(value)}`)
      .join(', ');
  const { before, after } = sample;
  if (!before) return `inserted: ${after ? values(after) : ''}`;
  if (!after) return `deleted: ${values(before)}`;
  const columns = Object.keys(after);
  const same = columns.filter((column) => before[column] === after[column]);
  const moved = columns
    .filter((column) => before[column] !== after[column])
    .map((column) => `${column} ${String(before[column] ?? 'NULL')} \u2192 ${String(after[column] ?? 'NULL')}`);
  return `${values(Object.fromEntries(same.map((column) => [column, after[column]])))}: ${moved.join(', ')}`;
}
