/**
 * The part of the dry-run report (issue 4's JSON, returned by `preflight.server.dryRun`) that the editor
 * shows. The server sends plain JSON, so only what is read here is typed; unknown fields are ignored.
 */
export interface DryRunReport {
  version: number;
  file: string;
  database: { kind: 'embedded' | 'server'; serverVersion?: string; host?: string; database?: string; replayed?: string[] };
  committed: false;
  outcome: 'ok' | 'failed' | 'cancelled';
  statements: DryRunStatement[];
  sideEffects: { kind: string; object: string; detail: string }[];
}

export type StatementStatus = 'ok' | 'error' | 'skipped' | 'not-run';

export interface DryRunStatement {
  index: number;
  /** 1-based, in the migration file (also for SQL embedded in TS/JS). */
  line: number;
  endLine: number;
  /** UTF-16 offsets into the file, when the engine knows them (editors prefer them over lines). */
  startOffset?: number;
  endOffset?: number;
  sql: string;
  status: StatementStatus;
  rowCount: number | null;
  durationMs: number | null;
  locks: { relation: string; mode: string; blocks?: string[] }[];
  rewrites: unknown[];
  plan: { seqScans?: { relation: string; estimatedRows?: number }[] } | null;
  notices: unknown[];
  /** Why a statement was skipped (e.g. CREATE INDEX CONCURRENTLY cannot run in a transaction block). */
  reason?: string;
  error: DryRunStatementError | null;
}

export interface DryRunStatementError {
  code: string;
  message: string;
  detail: string | null;
  hint: string | null;
  /** 1-based position of the error in the migration file. */
  line?: number;
  column?: number;
}
