import { LOCK_MODES, LockMode } from '../lint/locks';
import { PgLockMode } from '../../../shared/protocol';

/**
 * PostgreSQL's table-level lock conflict matrix
 * (https://www.postgresql.org/docs/current/explicit-locking.html#TABLE-LOCK-COMPATIBILITY): which modes
 * another session cannot take while this one is held. `pg_locks.mode` spells the modes in CamelCase
 * (`RowExclusiveLock`); the lint rules use the SQL spelling (`ROW EXCLUSIVE`).
 */
const CONFLICTS: Record<LockMode, readonly LockMode[]> = {
  'ACCESS SHARE': ['ACCESS EXCLUSIVE'],
  'ROW SHARE': ['EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'ROW EXCLUSIVE': ['SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'SHARE UPDATE EXCLUSIVE': ['SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  SHARE: ['ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'SHARE ROW EXCLUSIVE': [
    'ROW EXCLUSIVE',
    'SHARE UPDATE EXCLUSIVE',
    'SHARE',
    'SHARE ROW EXCLUSIVE',
    'EXCLUSIVE',
    'ACCESS EXCLUSIVE',
  ],
  EXCLUSIVE: [
    'ROW SHARE',
    'ROW EXCLUSIVE',
    'SHARE UPDATE EXCLUSIVE',
    'SHARE',
    'SHARE ROW EXCLUSIVE',
    'EXCLUSIVE',
    'ACCESS EXCLUSIVE',
  ],
  'ACCESS EXCLUSIVE': [...LOCK_MODES],
};

export function sqlLockMode(mode: PgLockMode): LockMode {
  return mode
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase() as LockMode;
}

export function pgLockMode(mode: LockMode): PgLockMode {
  return `${mode.toLowerCase().replace(/(^|\s)([a-z])/g, (_m, _s, c: string) => c.toUpperCase())}Lock` as PgLockMode;
}

export function isPgLockMode(mode: string): mode is PgLockMode {
  return LOCK_MODES.includes(sqlLockMode(mode as PgLockMode));
}

/** The modes that conflict with `mode`, weakest first. */
export function conflictingModes(mode: PgLockMode): PgLockMode[] {
  return CONFLICTS[sqlLockMode(mode)].map(pgLockMode);
}

/** The lock each everyday operation takes on its table, weakest first. */
const OPERATION_LOCKS: readonly [operation: string, mode: LockMode][] = [
  ['SELECT', 'ACCESS SHARE'],
  ['SELECT FOR UPDATE', 'ROW SHARE'],
  ['INSERT', 'ROW EXCLUSIVE'],
  ['UPDATE', 'ROW EXCLUSIVE'],
  ['DELETE', 'ROW EXCLUSIVE'],
  ['VACUUM', 'SHARE UPDATE EXCLUSIVE'],
  ['CREATE INDEX', 'SHARE'],
  ['DDL', 'ACCESS EXCLUSIVE'],
];

/** The operations of other sessions that wait while `mode` is held (`SELECT`, `INSERT`, ..., `DDL`). */
export function blockedOperations(mode: PgLockMode): string[] {
  const conflicts = CONFLICTS[sqlLockMode(mode)];
  return OPERATION_LOCKS.filter(([, needs]) => conflicts.includes(needs)).map(([operation]) => operation);
}

/** In a few words what other sessions wait for while `mode` is held. */
export function blockedWorkOf(mode: PgLockMode): string {
  const blocked = blockedOperations(mode);
  if (blocked.includes('SELECT')) return 'reads and writes';
  if (blocked.includes('INSERT')) return 'writes; reads continue';
  return `${blocked.slice(0, -1).join(', ')}${blocked.length > 1 ? ' and ' : ''}${blocked[blocked.length - 1]}; reads and writes continue`;
}

/** Modes ordered by strength, for comparisons (`ShareLock` is stronger than `RowExclusiveLock`). */
export function lockStrength(mode: PgLockMode): number {
  return LOCK_MODES.indexOf(sqlLockMode(mode));
}
