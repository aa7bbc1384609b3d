import { blockedOperations, blockedWorkOf, isPgLockMode } from '../dryrun/lock-conflicts';

/**
 * The lock timeline of a dry-run: one lane per table, one bar per lock from the statement that took it to
 * the end of its transaction, classed by what the lock mode blocks for everyone else. PostgreSQL keeps
 * every table lock until COMMIT or ROLLBACK, so a lock taken by a quick ALTER at the top of a migration is
 * still held while a slow UPDATE below it runs: that is what the bars show.
 *
 * A pure model (no Node, no database), shared by the HTML report and the VS Code dry-run panel, which draw
 * it their own way. It reads only the fields below of a dry-run report (issue 4's JSON).
 */
export interface TimelineInput {
  statements: readonly TimelineStatement[];
}

export interface TimelineStatement {
  index: number;
  line: number;
  endLine: number;
  sql: string;
  status: string;
  durationMs?: number | null;
  locks: readonly { relation: string; mode: string; blocksWork?: string }[];
}

/** What other sessions cannot do while the lock is held: everything, writes, or only schema changes and maintenance. */
export type LockImpact = 'reads-and-writes' | 'writes' | 'schema-changes';

export function lockImpact(mode: string): LockImpact {
  // A mode PostgreSQL might add one day is assumed to be the worst.
  if (!isPgLockMode(mode)) return 'reads-and-writes';
  const blocked = blockedOperations(mode);
  if (blocked.includes('SELECT')) return 'reads-and-writes';
  return blocked.includes('INSERT') ? 'writes' : 'schema-changes';
}

/** How a transaction ends, which is when its locks are released. */
export type Release = 'commit' | 'rollback' | 'error' | 'end';

/** One statement on the time axis. */
export interface TimelineSlot {
  index: number;
  line: number;
  endLine: number;
  status: string;
  /** The statement's first line, shortened. */
  label: string;
  /** Which transaction of the script the statement belongs to (0-based). */
  transaction: number;
}

export interface LockBar {
  relation: string;
  mode: string;
  impact: LockImpact;
  blocks: string;
  /** Slot that took the lock. */
  from: number;
  /** Slot after the one that ends the transaction: the bar covers slots `from` to `to - 1`. */
  to: number;
  /** Sub-row inside the lane, so that a weaker and a stronger lock on one table do not overlap. */
  row: number;
  release: Release;
  /** How long the dry-run held it (sum of the statements' durations), when durations are known. */
  heldMs: number | null;
  /** The statement index (from the report) that took the lock. */
  statementIndex: number;
}

export interface LockLane {
  relation: string;
  rows: number;
  bars: LockBar[];
}

export interface LockTimeline {
  slots: TimelineSlot[];
  lanes: LockLane[];
}

const LABEL_LENGTH = 60;

export function lockTimeline(report: TimelineInput): LockTimeline {
  const statements = report.statements;
  const ends = transactionEnds(statements);
  const slots = statements.map((statement, i): TimelineSlot => ({
    index: statement.index,
    line: statement.line,
    endLine: statement.endLine,
    status: statement.status,
    label: label(statement.sql),
    transaction: ends.transactionOf[i],
  }));

  const lanes = new Map<string, LockLane>();
  statements.forEach((statement, i) => {
    const end = ends.byTransaction[ends.transactionOf[i]];
    for (const lock of statement.locks) {
      let lane = lanes.get(lock.relation);
      if (!lane) lanes.set(lock.relation, (lane = { relation: lock.relation, rows: 0, bars: [] }));
      const bar: LockBar = {
        relation: lock.relation,
        mode: lock.mode,
        impact: lockImpact(lock.mode),
        blocks: lock.blocksWork ?? (isPgLockMode(lock.mode) ? blockedWorkOf(lock.mode) : 'unknown lock mode'),
        from: i,
        to: end.slot + 1,
        row: 0,
        release: end.release,
        heldMs: heldMs(statements, i, end.slot),
        statementIndex: statement.index,
      };
      bar.row = freeRow(lane.bars, bar);
      lane.rows = Math.max(lane.rows, bar.row + 1);
      lane.bars.push(bar);
    }
  });
  return { slots, lanes: [...lanes.values()] };
}

interface TransactionEnd {
  /** Last slot of the transaction (the COMMIT, ROLLBACK or failing statement, or the last statement). */
  slot: number;
  release: Release;
}

/**
 * Splits the script into transactions at COMMIT/ROLLBACK. Without them the whole script is one
 * transaction, which is how migration runners wrap a file and how the dry-run executes it. A statement
 * that failed aborts its transaction: nothing after it ran.
 */
function transactionEnds(statements: readonly TimelineStatement[]): {
  transactionOf: number[];
  byTransaction: TransactionEnd[];
} {
  const transactionOf: number[] = [];
  const byTransaction: TransactionEnd[] = [];
  let current = 0;
  statements.forEach((statement, i) => {
    transactionOf.push(current);
    const release: Release | undefined = statement.status === 'error' ? 'error' : endsTransaction(statement.sql);
    if (release || i === statements.length - 1) {
      byTransaction[current] = { slot: i, release: release ?? 'end' };
      current++;
    }
  });
  return { transactionOf, byTransaction };
}

/** COMMIT, END, ROLLBACK or ABORT (not ROLLBACK TO SAVEPOINT, which keeps the transaction open). */
function endsTransaction(sql: string): Release | undefined {
  const words = withoutLeadingComments(sql)
    .toUpperCase()
    .split(/[\s;]+/)
    .filter(Boolean);
  if (words[0] === 'COMMIT' || words[0] === 'END') return words[1] === 'PREPARED' ? undefined : 'commit';
  if (words[0] === 'ROLLBACK' || words[0] === 'ABORT') {
    return words[1] === 'TO' || (words[1] !== undefined && words[2] === 'TO') || words[1] === 'PREPARED'
      ? undefined
      : 'rollback';
  }
  return undefined;
}

function withoutLeadingComments(sql: string): string {
  return sql.replace(/^(?:\s|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '');
}

function heldMs(statements: readonly TimelineStatement[], from: number, to: number): number | null {
  let total = 0;
  for (let i = from; i <= to; i++) {
    const duration = statements[i].durationMs;
    if (statements[i].status !== 'ok' && statements[i].status !== 'error') continue;
    if (duration === null || duration === undefined) return null;
    total += duration;
  }
  return total;
}

function freeRow(bars: readonly LockBar[], bar: LockBar): number {
  for (let row = 0; ; row++) {
    if (!bars.some((other) => other.row === row && other.from < bar.to && bar.from < other.to)) return row;
  }
}

function label(sql: string): string {
  const first = withoutLeadingComments(sql).split('\n')[0].replace(/\s+/g, ' ').trim();
  return first.length > LABEL_LENGTH ? `${first.slice(0, LABEL_LENGTH - 1)}…` : first;
}
