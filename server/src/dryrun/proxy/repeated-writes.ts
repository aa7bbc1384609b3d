import { PgNode, fieldsOf, nameList, nodeType, walk } from '../../parse/ast';
import type { Statement } from '../../parse/sql';
import type { LockTracker } from '../lock-tracker';
import type { PlanSummary } from '../../../../shared/protocol';

/**
 * Functions a write may call and still do nothing but compute a value: no lock, no setting, no advisory lock.
 * A function of the database's own could do any of these, so a write that calls one is always observed.
 */
const VALUE_FUNCTIONS = new Set([
  'now',
  'clock_timestamp',
  'statement_timestamp',
  'transaction_timestamp',
  'random',
  'gen_random_uuid',
  'lower',
  'upper',
  'length',
  'trim',
  'btrim',
  'concat',
  'substring',
  'abs',
  'round',
  'md5',
  'date_trunc',
  'to_jsonb',
  'jsonb_build_object',
  'json_build_object',
]);

const WRITES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt']);

/**
 * The statements whose observation after they run (the backend's `pg_locks` diffed, the limits read back) can
 * find nothing new, so the round trips are saved: the same statement again, constants aside — a script's INSERT
 * in a loop, a prepared statement executed again, an UPDATE by another id — writing only tables whose writes lock nothing but themselves (no triggers,
 * foreign keys, rules, child tables or defaults calling the database's own functions), calling no function
 * that could take a lock or change a setting. PostgreSQL keeps every lock to the end of the transaction, so its
 * first run took every lock a later run takes. A rollback to a savepoint releases locks: then, and after any
 * other statement (DDL may add a trigger, SET may change the search path), every text is observed again.
 */
export class RepeatedWrites {
  private readonly observed = new Set<string>();
  /**
   * The plan of the first run of each shape, with the report index it was taken for. The same statement over the
   * same tables and indexes plans alike whatever its constants (they move row estimates, not which index can serve
   * the filter); whatever could change that (DDL, a rollback) clears it with the observations.
   */
  private readonly plans = new Map<string, { plan: PlanSummary; index: number }>();
  /** Shapes by parse tree: a parameterised statement sent again is the same text, whose tree the parse cache keeps. */
  private readonly shapes = new WeakMap<PgNode, string>();

  constructor(private readonly tracker: LockTracker) {}

  /**
   * The shape of a write that locks nothing but the tables it writes (what a repeat of it can skip), or undefined
   * for any other statement. Taken once per run, before the statement runs: what it writes cannot change under it.
   */
  shapeOf(statement: Statement): string | undefined {
    if (!statement.node || !this.writesOnlyItsTables(statement)) return undefined;
    let shape = this.shapes.get(statement.node);
    if (shape === undefined) {
      shape = shapeWithoutConstants(statement.node);
      this.shapes.set(statement.node, shape);
    }
    return shape;
  }

  /** Whether a statement of this shape can run without the observation after it; the first run of each shape is observed. */
  skipsObservation(shape: string | undefined): boolean {
    if (shape === undefined) {
      this.forget();
      return false;
    }
    if (this.observed.has(shape)) return true;
    this.observed.add(shape);
    return false;
  }

  /** Locks were released (a rollback to a savepoint): every statement is observed again. */
  forget(): void {
    this.observed.clear();
    this.plans.clear();
  }

  /** The plan already taken for this shape since the last change of schema or locks, if any. */
  planOfRepeat(shape: string | undefined): PlanSummary | undefined {
    const planned = shape === undefined ? undefined : this.plans.get(shape);
    return planned && { ...planned.plan, plannedAt: planned.index };
  }

  /** Keeps the plan taken for report `index`, for the repeats of its shape. */
  rememberPlan(shape: string | undefined, plan: PlanSummary | null, index: number): void {
    if (plan && shape !== undefined) this.plans.set(shape, { plan, index });
  }

  private writesOnlyItsTables(statement: Statement): boolean {
    if (!statement.node || !WRITES.has(nodeType(statement.node) ?? '')) return false;
    // The written table is a bare RangeVar in the tree (no `{ RangeVar: ... }` wrapper), unlike those it reads.
    const target: PgNode | undefined = fieldsOf(statement.node).relation;
    if (!target?.relname || !this.tracker.writesOnlyItself(target.schemaname, target.relname)) return false;
    let quiet = true;
    walk(statement.node, (type, fields) => {
      if (!quiet) return 'skip';
      if (type === 'FuncCall') quiet = isValueFunction(fields);
      else if (type === 'RangeVar') quiet = this.tracker.writesOnlyItself(fields.schemaname, String(fields.relname));
      else if (type === 'CommonTableExpr' || type === 'LockingClause') quiet = false;
      return undefined;
    });
    return quiet;
  }
}

/**
 * The statement with its constants and positions left out: `UPDATE plans SET price = 1 WHERE id = 7` and
 * `... WHERE id = 8` lock the same tables (of a quiet table, whatever the row).
 */
function shapeWithoutConstants(node: PgNode): string {
  return JSON.stringify(node, (key, value) => (key === 'location' || key === 'A_Const' ? undefined : value));
}

function isValueFunction(fields: PgNode): boolean {
  const parts = nameList(fields.funcname).map((part) => part.toLowerCase());
  return (parts.length === 1 || parts[0] === 'pg_catalog') && VALUE_FUNCTIONS.has(parts[parts.length - 1]);
}
