import { PgNode, fieldsOf } from '../parse/ast';
import type { Statement } from '../parse/sql';

/** PostgreSQL's table lock modes, weakest first (https://www.postgresql.org/docs/current/explicit-locking.html). */
export const LOCK_MODES = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
] as const;
export type LockMode = (typeof LOCK_MODES)[number];

function strongest(modes: LockMode[]): LockMode | undefined {
  return modes.reduce<LockMode | undefined>(
    (a, b) => (a === undefined || LOCK_MODES.indexOf(b) > LOCK_MODES.indexOf(a) ? b : a),
    undefined,
  );
}

/**
 * Whether the mode makes ordinary traffic wait: SHARE and stronger conflict with ROW EXCLUSIVE (INSERT,
 * UPDATE, DELETE); ACCESS EXCLUSIVE also with ACCESS SHARE (SELECT). While such a request waits for a lock
 * that a long transaction holds, every later query on the table queues behind it — the classic migration
 * outage, even when the statement itself would take milliseconds.
 */
export function blocksTraffic(mode: LockMode): boolean {
  return LOCK_MODES.indexOf(mode) >= LOCK_MODES.indexOf('SHARE');
}

/** `an ACCESS EXCLUSIVE lock`, `a SHARE lock`. */
export function lockPhrase(mode: LockMode): string {
  return `${/^[AEIOU]/.test(mode) ? 'an' : 'a'} ${mode} lock`;
}

/** What other sessions cannot do while the lock is held (or requested). */
export function blockedWork(mode: LockMode): string {
  if (mode === 'ACCESS EXCLUSIVE') return 'reads and writes';
  if (blocksTraffic(mode)) return 'writes';
  return 'other schema changes and VACUUM';
}

/** The lock the ALTER TABLE action takes on its table. */
export function alterTableCommandLock(cmd: PgNode): LockMode {
  switch (cmd.subtype) {
    case 'AT_ValidateConstraint':
    case 'AT_SetStatistics':
    case 'AT_SetOptions':
    case 'AT_ResetOptions':
    case 'AT_ClusterOn':
    case 'AT_DropCluster':
    case 'AT_AttachPartition':
      // ATTACH PARTITION takes SHARE UPDATE EXCLUSIVE on the parent since PostgreSQL 12.
      return 'SHARE UPDATE EXCLUSIVE';
    case 'AT_DetachPartition':
      return cmd.def?.PartitionCmd?.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    case 'AT_AddConstraint':
      return cmd.def?.Constraint?.contype === 'CONSTR_FOREIGN' ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    case 'AT_EnableTrig':
    case 'AT_EnableAlwaysTrig':
    case 'AT_EnableReplicaTrig':
    case 'AT_DisableTrig':
    case 'AT_EnableTrigAll':
    case 'AT_DisableTrigAll':
    case 'AT_EnableTrigUser':
    case 'AT_DisableTrigUser':
      return 'SHARE ROW EXCLUSIVE';
    default:
      return 'ACCESS EXCLUSIVE';
  }
}

/** LOCK TABLE's `mode` field is the lock mode's number (1 = ACCESS SHARE ... 8 = ACCESS EXCLUSIVE). */
function lockStatementMode(mode: number | undefined): LockMode {
  return LOCK_MODES[(mode ?? 8) - 1] ?? 'ACCESS EXCLUSIVE';
}

/**
 * The strongest lock a statement takes on an existing table, or undefined for statements that lock no
 * table others use (CREATE TABLE without foreign keys, DML, SET, ...). Row-level DML locks are not counted.
 */
export function statementLock(statement: Statement): LockMode | undefined {
  const fields = fieldsOf(statement.node);
  switch (statement.type) {
    case 'AlterTableStmt':
      return strongest(
        ((fields.cmds as PgNode[] | undefined) ?? []).map((c) => alterTableCommandLock(c.AlterTableCmd ?? {})),
      );
    case 'IndexStmt':
      return fields.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE';
    case 'DropStmt':
      if (fields.removeType === 'OBJECT_INDEX')
        return fields.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
      return [
        'OBJECT_TABLE',
        'OBJECT_MATVIEW',
        'OBJECT_VIEW',
        'OBJECT_TRIGGER',
        'OBJECT_RULE',
        'OBJECT_POLICY',
      ].includes(fields.removeType)
        ? 'ACCESS EXCLUSIVE'
        : undefined;
    case 'ReindexStmt':
      return reindexIsConcurrent(fields) ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    case 'VacuumStmt':
      return vacuumIsFull(fields) ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE';
    case 'ClusterStmt':
    case 'TruncateStmt':
    case 'RuleStmt':
      return 'ACCESS EXCLUSIVE';
    case 'LockStmt':
      return lockStatementMode(fields.mode);
    case 'RefreshMatViewStmt':
      return fields.concurrent ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    case 'RenameStmt':
      return fields.renameType === 'OBJECT_INDEX' ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    case 'CreateTrigStmt':
      return 'SHARE ROW EXCLUSIVE';
    case 'CreateStmt':
      // A new table locks nothing others use, except the tables its foreign keys reference.
      return createsForeignKey(fields) ? 'SHARE ROW EXCLUSIVE' : undefined;
    default:
      return undefined;
  }
}

/** `REINDEX (CONCURRENTLY) ...` (PostgreSQL 14+ syntax) or `REINDEX ... CONCURRENTLY`. */
export function reindexIsConcurrent(fields: PgNode): boolean {
  return ((fields.params as PgNode[] | undefined) ?? []).some(
    (p) => p.DefElem?.defname === 'concurrently' && p.DefElem?.arg?.Boolean?.boolval !== false,
  );
}

export function vacuumIsFull(fields: PgNode): boolean {
  return (
    Boolean(fields.is_vacuumcmd) &&
    ((fields.options as PgNode[] | undefined) ?? []).some((o) => o.DefElem?.defname === 'full')
  );
}

function createsForeignKey(fields: PgNode): boolean {
  return ((fields.tableElts as PgNode[] | undefined) ?? []).some(
    (element) =>
      element.Constraint?.contype === 'CONSTR_FOREIGN' ||
      ((element.ColumnDef?.constraints as PgNode[] | undefined) ?? []).some(
        (c) => c.Constraint?.contype === 'CONSTR_FOREIGN',
      ),
  );
}
