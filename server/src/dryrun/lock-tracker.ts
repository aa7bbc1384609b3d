import { blockedOperations, blockedWorkOf, conflictingModes, isPgLockMode, lockStrength } from './lock-conflicts';
import { LockTaken, PgLockMode, Rewrite } from '../../../shared/protocol';
import type { DryRunSession } from './session';

/**
 * Which locks each statement takes and which relations it rewrites, from the dry-run backend's own
 * `pg_locks` rows diffed before and after the statement. PostgreSQL keeps every lock until the transaction
 * ends, so a lock the transaction already holds is not taken again: each statement shows what it added.
 * Only relations that existed before the dry-run count: nobody else can see a table the migration creates.
 */
export class LockTracker {
  private held = new Set<string>();
  /** Whether a relation created during the dry-run holds a lock: its triggers and rules are unknown here. */
  private sawNewRelation = false;
  private byTableName: Map<string, KnownRelation[]> | undefined;
  /** Advisory lock keys held at the last observation. */
  private advisoryKeys = new Set<string>();
  private readonly names: ReadonlySet<string>;

  private constructor(
    private readonly session: DryRunSession,
    /** Relations that existed before the dry-run, by OID. */
    private readonly relations: ReadonlyMap<string, KnownRelation>,
    /** Their data files, to notice rewrites (a new relfilenode). */
    private readonly filenodes: Map<string, string | null>,
  ) {
    this.names = new Set([...relations.values()].map((relation) => relation.name));
  }

  /** Reads the relations that exist now; call before the dry-run's transaction starts. */
  static async start(session: DryRunSession): Promise<LockTracker> {
    const { rows } = await session.internal<{
      oid: string;
      name: string;
      relkind: string;
      filenode: string | null;
      quiet: boolean;
      schema: string;
      relname: string;
    }>(
      `SELECT c.oid::pg_catalog.text AS oid,
              pg_catalog.format('%I.%I', n.nspname, c.relname) AS name,
              c.relkind::pg_catalog.text AS relkind, n.nspname AS schema, c.relname,
              pg_catalog.pg_relation_filenode(c.oid)::pg_catalog.text AS filenode,
              -- A plain table whose writes take no lock but its own and its indexes': no trigger (foreign keys are
              -- triggers), rule, child table or default calling a function of the database's own.
              (c.relkind = 'r' AND NOT c.relhastriggers AND NOT c.relhasrules AND NOT c.relhassubclass
                AND NOT EXISTS (SELECT FROM pg_catalog.pg_attrdef d
                                  JOIN pg_catalog.pg_depend dep ON dep.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass
                                   AND dep.objid = d.oid AND dep.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                                 WHERE d.adrelid = c.oid)) AS quiet
         FROM pg_catalog.pg_class c
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname !~ '^pg_(toast|temp)'`,
    );
    const relations = new Map(
      rows.map((row) => [
        row.oid,
        {
          name: row.name,
          kind: RELATION_KINDS[row.relkind] ?? 'relation',
          quiet: row.quiet,
          schema: row.schema,
          relname: row.relname,
        },
      ]),
    );
    return new LockTracker(session, relations, new Map(rows.map((row) => [row.oid, row.filenode])));
  }

  /**
   * The locks and rewrites since the last call (the first call only records what is held). System
   * catalogs (OIDs below 16384, PostgreSQL's FirstNormalObjectId) are left out on the server: DDL locks
   * many of them, and none matters to another session's queries.
   */
  async observe(): Promise<Observation> {
    const { rows } = await this.session.internal<LockRow>(
      `SELECT l.locktype, l.relation::pg_catalog.text AS relation, l.mode,
              l.classid::pg_catalog.text AS classid, l.objid::pg_catalog.text AS objid, l.objsubid,
              pg_catalog.pg_relation_filenode(l.relation)::pg_catalog.text AS filenode
         FROM pg_catalog.pg_locks l
        WHERE l.pid = pg_catalog.pg_backend_pid() AND l.granted
          AND (l.locktype = 'advisory' OR (l.locktype = 'relation' AND l.relation >= 16384))`,
    );
    const observation: Observation = { locks: [], rewrites: [], advisoryLocks: [], advisoryReleased: [] };
    const held = new Set<string>();
    const advisoryNow = new Set(rows.filter((row) => row.locktype === 'advisory').map(advisoryKey));
    observation.advisoryReleased = [...this.advisoryKeys].filter((key) => !advisoryNow.has(key));
    this.advisoryKeys = advisoryNow;
    for (const row of rows) {
      const key =
        row.locktype === 'relation'
          ? `${row.relation}/${row.mode}`
          : `advisory ${row.classid}/${row.objid}/${row.objsubid}/${row.mode}`;
      held.add(key);
      if (row.locktype === 'advisory') {
        if (!this.held.has(key)) observation.advisoryLocks.push(advisoryKey(row));
        continue;
      }
      const relation = row.relation ? this.relations.get(row.relation) : undefined;
      if (row.locktype === 'relation' && !relation) this.sawNewRelation = true;
      if (!relation || !row.relation) continue;
      row.relationName = relation.name;
      if (!this.held.has(key) && isPgLockMode(row.mode) && reportable(relation.kind, row.mode)) {
        observation.locks.push(lockTaken(relation, row.mode));
      }
      // A rewrite needs a lock, so every rewritten relation is in this list, however long ago it was locked.
      const known = this.filenodes.get(row.relation);
      if (row.filenode !== null && known !== undefined && row.filenode !== known) {
        this.filenodes.set(row.relation, row.filenode);
        if (!observation.rewrites.some((r) => r.relation === relation.name))
          observation.rewrites.push({ relation: relation.name, kind: relation.kind });
      }
    }
    observation.locks = observation.locks.filter((lock) => !subsumed(lock, rows, observation.locks));
    this.held = held;
    return observation;
  }

  /**
   * Whether a write to the table `relname` (in `schema`, or wherever the search path finds it) can take no lock
   * but its own and its indexes', whatever the row: every table of that name that existed before the dry-run is
   * quiet (see `start`), and no relation created since holds a lock (its triggers are not known here).
   */
  writesOnlyItself(schema: string | undefined, relname: string): boolean {
    if (this.sawNewRelation) return false;
    if (!this.byTableName) {
      this.byTableName = new Map();
      for (const relation of this.relations.values())
        this.byTableName.set(relation.relname, [...(this.byTableName.get(relation.relname) ?? []), relation]);
    }
    const named = (this.byTableName.get(relname) ?? []).filter(
      (relation) => schema === undefined || relation.schema === schema,
    );
    return named.length > 0 && named.every((relation) => relation.quiet);
  }

  /** Whether a relation (`schema.table`, as `format('%I.%I')` spells it) existed before the dry-run. */
  existedBefore(name: string): boolean {
    return this.names.has(name);
  }

  /** Advisory locks the session holds now; after ROLLBACK only session-level ones remain. */
  async advisoryLocksHeld(): Promise<string[]> {
    const { rows } = await this.session.internal<LockRow>(
      `SELECT l.classid::pg_catalog.text AS classid, l.objid::pg_catalog.text AS objid, l.objsubid
         FROM pg_catalog.pg_locks l
        WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'advisory' AND l.granted`,
    );
    return [...new Set(rows.map(advisoryKey))];
  }
}

export interface Observation {
  locks: LockTaken[];
  rewrites: Rewrite[];
  /** Advisory locks taken since the last observation, as `pg_advisory_lock` keys (`42` or `1, 2`). */
  advisoryLocks: string[];
  /** Advisory locks held at the last observation and released since. */
  advisoryReleased: string[];
}

interface KnownRelation {
  /** `schema.table`, quoted where needed. */
  name: string;
  kind: string;
  schema: string;
  relname: string;
  quiet: boolean;
}

interface LockRow {
  locktype: string;
  relation: string | null;
  mode: string;
  classid: string | null;
  objid: string | null;
  objsubid: number | null;
  filenode: string | null;
  /** Filled in from the relations known at the start. */
  relationName?: string;
}

const RELATION_KINDS: Record<string, string> = {
  r: 'table',
  p: 'table',
  i: 'index',
  I: 'index',
  S: 'sequence',
  v: 'view',
  m: 'materialized view',
  f: 'foreign table',
  c: 'type',
};

/**
 * Every statement that writes a table also takes a weak lock on each of its indexes, and `nextval` one on
 * its sequence; those add nothing to the table's own lock. Stronger ones (DROP INDEX, REINDEX, ALTER
 * SEQUENCE) are reported.
 */
function reportable(kind: string, mode: PgLockMode): boolean {
  return (kind !== 'index' && kind !== 'sequence') || lockStrength(mode) > lockStrength('RowExclusiveLock');
}

/**
 * A weaker lock next to a stronger one on the same relation (held before or taken by the same statement)
 * makes nobody wait who would not wait anyway: ADD FOREIGN KEY's AccessShareLock beside its
 * ShareRowExclusiveLock. "Stronger" means conflicting with everything the weaker mode conflicts with.
 */
function subsumed(lock: LockTaken, held: readonly LockRow[], taken: readonly LockTaken[]): boolean {
  const modes = [
    ...held
      .filter((row) => row.locktype === 'relation' && isPgLockMode(row.mode) && row.relationName === lock.relation)
      .map((row) => row.mode as PgLockMode),
    ...taken.filter((other) => other.relation === lock.relation).map((other) => other.mode),
  ];
  const conflicts = new Set(lock.conflictsWith);
  return modes.some((mode) => mode !== lock.mode && [...conflicts].every((c) => conflictingModes(mode).includes(c)));
}

export function lockTaken(relation: { name: string; kind: string }, mode: PgLockMode): LockTaken {
  return {
    relation: relation.name,
    kind: relation.kind,
    mode,
    blocks: blockedOperations(mode),
    conflictsWith: conflictingModes(mode),
    blocksWork: blockedWorkOf(mode),
  };
}

/**
 * `pg_advisory_lock(bigint)` keeps the key's high half in `classid` and its low half in `objid`
 * (`objsubid` 1); the two-key form keeps each int4 (`objsubid` 2). Both are stored as unsigned OIDs.
 */
function advisoryKey(row: LockRow): string {
  const high = BigInt(row.classid ?? 0);
  const low = BigInt(row.objid ?? 0);
  if (row.objsubid === 2) return `${BigInt.asIntN(32, high)}, ${BigInt.asIntN(32, low)}`;
  return String(BigInt.asIntN(64, (high << 32n) | low));
}
