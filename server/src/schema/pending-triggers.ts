import { PgNode, fieldsOf, qualifiedName } from '../parse/ast';
import type { MigrationFile, Operation } from '../parse/migration';
import type { TransactionBlock } from '../parse/transactions';
import type { DeploymentVariant } from '../resolved-config';
import { Catalog, TriggerEvent, TriggerInfo, deferredTriggers } from './catalog';
import { statementWrites } from './function-body';
import { presenceOn } from './variants';

/**
 * Where a transaction will fail with SQLSTATE 55006, "cannot ALTER TABLE "x" because it has pending trigger
 * events": a data change fires a DEFERRABLE INITIALLY DEFERRED constraint trigger on a table, its events stay
 * queued until commit, and a later statement in the same transaction that must see the table idle (ALTER TABLE,
 * CREATE INDEX, TRUNCATE, DROP TABLE, CLUSTER) refuses to run. Verified against PostgreSQL: RENAME, COMMENT,
 * CREATE TRIGGER and DDL on other tables run fine; `SET CONSTRAINTS ... IMMEDIATE` in between fires the events.
 */
export interface PendingTriggerFailure {
  /** The data change that queues the events. */
  write: Operation;
  table: string;
  trigger: TriggerInfo;
  /** The statement or call that then fails, and the command PostgreSQL names in its error. */
  ddl: Operation;
  command: string;
}

/**
 * The first such failure of each transaction of the file, judged with the schema as it stands before each
 * statement (`catalogAt`, the file's catalog timeline), on `variant`'s servers: a trigger created under a
 * condition counts unless the variant decides it false (then it is on no server of the variant).
 */
export function pendingTriggerFailures(
  file: MigrationFile,
  catalogAt: (operation: Operation) => Catalog,
  variant?: DeploymentVariant,
): Map<TransactionBlock, PendingTriggerFailure> {
  const queues = new Map<Operation, { table: string; trigger: TriggerInfo }[]>();
  for (const operation of file.operations) {
    const fired = writes(operation).flatMap(({ table, events }) => {
      const info = catalogAt(operation).tables.get(table);
      const triggers = info
        ? events
            .flatMap((event) => deferredTriggers(info, event))
            .filter((t) => presenceOn(t.onlyWhen, variant) !== 'nowhere')
        : [];
      return triggers.map((trigger) => ({ table, trigger }));
    });
    if (fired.length > 0) queues.set(operation, fired);
  }
  const failures = new Map<TransactionBlock, PendingTriggerFailure>();
  for (const block of file.transactions) {
    const pending = new Map<string, { write: Operation; trigger: TriggerInfo }>();
    for (const operation of block.operations) {
      releaseImmediate(operation, pending);
      const check = pendingEventCheck(operation);
      const queued = check && pending.get(check.table);
      if (check && queued) {
        failures.set(block, { ...queued, table: check.table, ddl: operation, command: check.command });
        break;
      }
      for (const { table, trigger } of queues.get(operation) ?? [])
        if (!pending.has(table)) pending.set(table, { write: operation, trigger });
    }
  }
  return failures;
}

const EVENTS: Record<string, TriggerEvent[]> = {
  insert: ['insert'],
  update: ['update'],
  delete: ['delete'],
  merge: ['insert', 'update', 'delete'],
  truncate: ['truncate'],
};

/** The tables an operation writes and the trigger events that fires. */
function writes(operation: Operation): { table: string; events: TriggerEvent[] }[] {
  if (operation.effect !== 'dml') return [];
  if (operation.statement?.node) {
    if (operation.statement.type === 'CopyStmt')
      return operation.tables.map((t) => ({ table: t.table, events: ['insert'] }));
    return statementWrites(operation.statement.node).map((w) => ({ table: w.table, events: EVENTS[w.action] }));
  }
  const action = operation.call?.kind === 'dml' ? operation.call.dmlAction : undefined;
  return action ? operation.tables.map((t) => ({ table: t.table, events: EVENTS[action] })) : [];
}

/** `SET CONSTRAINTS ALL IMMEDIATE` (or naming the trigger) fires the queued events there and then. */
function releaseImmediate(operation: Operation, pending: Map<string, { trigger: TriggerInfo }>): void {
  const f = operation.statement?.type === 'ConstraintsSetStmt' ? fieldsOf(operation.statement.node) : undefined;
  if (!f || f.deferred) return;
  const names = new Set(((f.constraints as PgNode[] | undefined) ?? []).map((c) => c.RangeVar?.relname));
  for (const [table, entry] of [...pending]) {
    if (names.size === 0 || names.has(entry.trigger.name)) pending.delete(table);
  }
}

/** The table a statement or call requires free of pending trigger events, and how PostgreSQL's error names it. */
function pendingEventCheck(operation: Operation): { table: string; command: string } | undefined {
  const statement = operation.statement;
  if (statement?.node) {
    const f = fieldsOf(statement.node);
    const relation = (command: string, rangeVar: PgNode | undefined) => {
      const table = qualifiedName(rangeVar);
      return table ? { table, command } : undefined;
    };
    switch (statement.type) {
      case 'AlterTableStmt':
        return f.objtype === 'OBJECT_TABLE' ? relation('ALTER TABLE', f.relation) : undefined;
      case 'IndexStmt':
        return f.concurrent ? undefined : relation('CREATE INDEX', f.relation);
      case 'ClusterStmt':
        return relation('CLUSTER', f.relation);
      case 'TruncateStmt':
        return relation('TRUNCATE', f.relations?.[0]?.RangeVar);
      case 'DropStmt':
        return f.removeType === 'OBJECT_TABLE'
          ? { table: operation.tables[0]?.table ?? '', command: 'DROP TABLE' }
          : undefined;
      default:
        return undefined;
    }
  }
  const call = operation.call;
  const table = operation.tables[0]?.table;
  if (!call || !table) return undefined;
  // An ORM schema call is a statement (the SQL it sends, parse/orm/), or not analysed.
  return call.kind === 'dml' && call.dmlAction === 'truncate' ? { table, command: 'TRUNCATE' } : undefined;
}
