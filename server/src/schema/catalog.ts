import type { VariantComparison } from '../parse/conditions';

/**
 * What Preflight knows of the database schema before a migration runs: built by replaying earlier
 * migrations, introspecting a live database, or replaying a schema dump. All three produce this one model,
 * with names and expressions in one canonical form (see expression.ts), so a rule never asks where it came
 * from and a replayed catalog can be compared with an introspected one.
 *
 * Names: tables, views, sequences and functions are keyed `schema.name` (unquoted SQL names arrive lowercased
 * from the parser; quoted ones keep their case). Index, constraint and trigger names are unqualified: they
 * live in their table's schema.
 */
export interface Catalog {
  schemas: ReadonlySet<string>;
  tables: ReadonlyMap<string, TableInfo>;
  views: ReadonlyMap<string, ViewInfo>;
  sequences: ReadonlyMap<string, SequenceInfo>;
  /** Overloads share one entry: the model does not resolve argument types. */
  functions: ReadonlyMap<string, FunctionInfo>;
}

export interface TableInfo {
  /** `schema.table`. */
  name: string;
  columns: readonly ColumnInfo[];
  indexes: readonly IndexInfo[];
  /** Primary key, unique, foreign key, check and exclusion constraints (NOT NULL is a column property). */
  constraints: readonly ConstraintInfo[];
  /** User triggers, including constraint triggers; not the internal triggers behind foreign keys. */
  triggers: readonly TriggerInfo[];
  /** `pg_class.reltuples` from a live database; absent when the table was never analyzed or the schema was replayed. */
  rowEstimate?: number;
  /**
   * Why the model may be missing something about this table: a statement or ORM call that changes it was
   * skipped (e.g. an index whose columns a migration computes at run time). Rules that need the full picture
   * stay silent on such a table.
   */
  uncertain?: string;
  /** Created under a condition of the migration's code: the table exists only on the servers where it holds. */
  onlyWhen?: readonly PresenceCondition[];
}

/**
 * A test of the migration's code that an object's creation ran under (`if (serverType === 'central')` around an
 * `addIndex`, `IF ... THEN CREATE INDEX` in a DO block): the object exists only on the servers where every test
 * of its `onlyWhen` holds. See schema/variants.ts for how a configured variant decides one.
 */
export interface PresenceCondition {
  /** The test as written, e.g. `serverType === 'central'`. */
  text: string;
  /** The migration file that makes the test, and the 1-based line of the test. */
  file: string;
  line: number;
  comparison?: VariantComparison;
  /** A constant false test: the object exists nowhere. */
  never?: true;
}

export interface ColumnInfo {
  name: string;
  /** As `format_type` prints it: `integer`, `character varying(255)`, `timestamp with time zone`, `text[]`. */
  type: string;
  nullable: boolean;
  /** Canonical expression text, e.g. `now()` or `nextval('users_id_seq')`. */
  default?: string;
  identity?: 'always' | 'by default';
  /** Created under a condition: exists only where it holds. */
  onlyWhen?: readonly PresenceCondition[];
}

export interface IndexInfo {
  name: string;
  /** Access method: `btree`, `gin`, `gist`, `hash`, `brin`... */
  method: string;
  unique: boolean;
  primary: boolean;
  /** Key columns and expressions, in index order. */
  keys: readonly IndexKey[];
  /** Non-key columns (`INCLUDE (...)`). */
  include: readonly string[];
  /** Partial index: canonical text of its WHERE predicate. */
  predicate?: string;
  /** The constraint that owns the index (a primary key, unique or exclusion constraint), if any. */
  constraint?: string;
  /** Created under a condition: exists only where it holds. */
  onlyWhen?: readonly PresenceCondition[];
}

/** One key of an index: a column, or an expression such as `lower(email)` (canonical text). */
export type IndexKey = { column: string; descending?: boolean } | { expression: string; descending?: boolean };

export type ConstraintType = 'primary-key' | 'unique' | 'foreign-key' | 'check' | 'exclusion';

export interface ConstraintInfo {
  name: string;
  type: ConstraintType;
  columns: readonly string[];
  /** Foreign keys: the referenced table and columns (`REFERENCES users` resolved to its primary key). */
  references?: { table: string; columns: readonly string[] };
  /** Check constraints: canonical text of the expression. */
  expression?: string;
  deferrable: boolean;
  initiallyDeferred: boolean;
  /** Created under a condition: exists only where it holds. */
  onlyWhen?: readonly PresenceCondition[];
}

export type TriggerEvent = 'insert' | 'update' | 'delete' | 'truncate';

export interface TriggerInfo {
  name: string;
  timing: 'before' | 'after' | 'instead of';
  events: readonly TriggerEvent[];
  forEachRow: boolean;
  /** `schema.function` it executes. */
  function: string;
  /** `CREATE CONSTRAINT TRIGGER`: its firing can be deferred to commit. */
  constraint: boolean;
  deferrable: boolean;
  initiallyDeferred: boolean;
  enabled: boolean;
  /** Created under a condition: exists only where it holds. */
  onlyWhen?: readonly PresenceCondition[];
}

export interface FunctionInfo {
  /** `schema.function`. */
  name: string;
  language: string;
  /** Canonical return type, e.g. `trigger`, `void`, `integer`. */
  returns: string;
  /** Tables the body writes with static SQL, in body order. */
  writes: readonly TableWrite[];
  /** The body runs dynamic SQL (`EXECUTE`) whose targets the model cannot know. */
  dynamicSql: boolean;
}

export interface TableWrite {
  table: string;
  action: 'insert' | 'update' | 'delete' | 'truncate' | 'merge';
}

export interface ViewInfo {
  name: string;
  materialized: boolean;
}

export interface SequenceInfo {
  name: string;
  /** `schema.table.column` for sequences owned by a column (serial, identity, `OWNED BY`). */
  ownedBy?: string;
}

/** A statement or call the model did not apply, and why. Never fatal: replay goes on without it. */
export interface SkippedStatement {
  /** The migration file. */
  file: string;
  /** 1-based line of the statement in that file. */
  line: number;
  reason: string;
}

export function emptyCatalog(): Catalog {
  return {
    schemas: new Set(['public']),
    tables: new Map(),
    views: new Map(),
    sequences: new Map(),
    functions: new Map(),
  };
}

/** The table's index named `name`, if any. */
export function findIndex(table: TableInfo, name: string): IndexInfo | undefined {
  return table.indexes.find((index) => index.name === name);
}

/**
 * Constraint triggers on `table` that are deferred by default and fire on `event`: their events stay queued
 * until commit, so a later ALTER TABLE, CREATE INDEX, TRUNCATE, DROP TABLE or CLUSTER of that table in the same
 * transaction fails with "cannot ALTER TABLE ... because it has pending trigger events" (SQLSTATE 55006).
 */
export function deferredTriggers(table: TableInfo, event: TriggerEvent): TriggerInfo[] {
  return table.triggers.filter(
    (trigger) => trigger.constraint && trigger.initiallyDeferred && trigger.enabled && trigger.events.includes(event),
  );
}

/**
 * Tables that trigger functions only ever append to: an audit log by what the schema shows, whatever its name.
 * A table a trigger function also updates or deletes from is a working table (a counter, a cache), not a log.
 */
export function triggerAppendedTables(catalog: Catalog): ReadonlySet<string> {
  let tables = appendedTables.get(catalog);
  if (!tables) {
    tables = findTriggerAppendedTables(catalog);
    appendedTables.set(catalog, tables);
  }
  return tables;
}

/** Catalogs handed to rules do not change, so the answer is kept per catalog. */
const appendedTables = new WeakMap<Catalog, ReadonlySet<string>>();

function findTriggerAppendedTables(catalog: Catalog): Set<string> {
  const triggerFunctions = new Set<string>();
  for (const table of catalog.tables.values())
    table.triggers.forEach((trigger) => triggerFunctions.add(trigger.function));
  const inserted = new Set<string>();
  const rewritten = new Set<string>();
  for (const name of triggerFunctions) {
    for (const write of catalog.functions.get(name)?.writes ?? []) {
      (write.action === 'insert' ? inserted : rewritten).add(write.table);
    }
  }
  return new Set([...inserted].filter((table) => !rewritten.has(table)));
}
