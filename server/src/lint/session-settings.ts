import { PgNode, constantValue, functionName, walk } from '../parse/ast';
import type { MigrationFile, Operation } from '../parse/migration';
import type { TransactionBlock } from '../parse/transactions';
import { LockMode, blocksTraffic, statementLock } from './locks';
import { newTables } from './new-tables';
import { qualifiedName } from '../parse/ast';
import { insertText, makeFix, matchCase } from './fix-edits';
import type { Fix } from './rule';
import { statementTokens } from './sql-tokens';
import { transactionBlockOf, transactionState } from './transaction-context';

/** The timeouts a migration sets for itself. */
export type TimeoutSetting = 'lock_timeout' | 'statement_timeout';

/** An operation that makes ordinary traffic wait on a table that existed before the migration. */
export interface BlockingOperation {
  operation: Operation;
  lock: LockMode;
  tables: string[];
  /** For ORM calls: the call's span (statements use their own). */
  span: Operation['fileSpan'];
}

/**
 * The operations, one per `up`/`down` section, that take a traffic-blocking lock on an existing table
 * before the section set `setting` to a non-zero value. `SET` holds for the rest of the session; `SET
 * LOCAL` (and `set_config(..., true)`) only until its transaction ends, so in autocommit it protects nothing.
 */
export function firstUnguardedBlockingOperations(file: MigrationFile, setting: TimeoutSetting): BlockingOperation[] {
  const found: BlockingOperation[] = [];
  const guardedSections = new Set<string>();
  const localGuards = new Set<TransactionBlock>();
  const reported = new Set<string>();
  for (const operation of file.operations) {
    const assigned = operation.statement ? assignment(operation, setting) : undefined;
    if (assigned) {
      const block = transactionBlockOf(file, operation);
      if (assigned.local) {
        if (block && transactionState(file, operation) === 'transaction') {
          if (assigned.enabled) localGuards.add(block);
          else localGuards.delete(block);
        }
      } else if (assigned.enabled) guardedSections.add(operation.section);
      else guardedSections.delete(operation.section);
      continue;
    }
    if (reported.has(operation.section) || guardedSections.has(operation.section)) continue;
    const block = transactionBlockOf(file, operation);
    if (block && localGuards.has(block)) continue;
    const blocking = blockingLock(file, operation);
    if (!blocking) continue;
    reported.add(operation.section);
    found.push(blocking);
  }
  return found;
}

/**
 * The fix that sets the timeout right before the statement: `SET LOCAL` inside a transaction (it ends with
 * it, and does not leak into a pooled connection), `SET` when the statement runs on its own. Not applied by
 * --fix: with a timeout the migration fails where it used to wait, which is the point but changes what runs.
 */
export function timeoutFix(
  file: MigrationFile,
  operation: Operation,
  setting: TimeoutSetting,
  value: string,
): Fix | undefined {
  const statement = operation.statement;
  if (!statement || operation.executedBy || !statement.fragment.psql) return undefined;
  const first = statementTokens(statement)[0];
  if (!first) return undefined;
  const local = transactionState(file, operation) === 'transaction' ? ' local' : '';
  const text = `${matchCase(first.text, `set${local}`)} ${setting} = '${value.replace(/'/g, "''")}';\n`;
  return makeFix(`Set ${setting} first`, [insertText(statement, 0, text, 'before')], false);
}

/** `SET [LOCAL] setting = v`, `RESET setting`, `SELECT set_config('setting', v, is_local)`. */
function assignment(operation: Operation, setting: TimeoutSetting): { local: boolean; enabled: boolean } | undefined {
  const statement = operation.statement!;
  const node: PgNode = statement.node?.[statement.type ?? ''] ?? {};
  if (statement.type === 'VariableSetStmt') {
    if (node.name !== setting) return undefined;
    const value = node.kind === 'VAR_SET_VALUE' ? constantValue(node.args?.[0]) : undefined;
    return { local: Boolean(node.is_local), enabled: value !== undefined && !isZero(value) };
  }
  if (statement.type !== 'SelectStmt') return undefined;
  let found: { local: boolean; enabled: boolean } | undefined;
  walk(node.targetList, (type, fields) => {
    if (type !== 'FuncCall' || functionName(fields) !== 'set_config' || constantValue(fields.args?.[0]) !== setting)
      return;
    const value = constantValue(fields.args?.[1]);
    found = {
      local: fields.args?.[2]?.A_Const?.boolval?.boolval === true,
      enabled: value !== undefined && !isZero(value),
    };
  });
  return found;
}

/** `0`, `'0'`, `'0ms'`: PostgreSQL reads a zero timeout as "wait forever". */
function isZero(value: string | number): boolean {
  return /^\s*0+(\.0*)?\s*[a-z]*\s*$/i.test(String(value));
}

function blockingLock(file: MigrationFile, operation: Operation): BlockingOperation | undefined {
  const created = newTables(file);
  const statement = operation.statement;
  if (statement?.node) {
    const lock = statementLock(statement);
    if (!lock || !blocksTraffic(lock)) return undefined;
    const tables = lockedTables(operation).filter((table) => !created.isNew(table, operation));
    // A statement whose tables are all new (or unnamed, as with REINDEX SCHEMA) still counts when it names none.
    if (tables.length === 0 && lockedTables(operation).length > 0) return undefined;
    return { operation, lock, tables, span: operation.fileSpan };
  }
  return undefined;
}

/**
 * The tables a statement locks, as far as it names them: for CREATE TABLE, the tables its foreign keys
 * reference; for DROP INDEX, none (it locks the index's table, which it does not name).
 */
function lockedTables(operation: Operation): string[] {
  const statement = operation.statement!;
  if (statement.type === 'DropStmt' && statement.node?.DropStmt?.removeType === 'OBJECT_INDEX') return [];
  if (statement.type !== 'CreateStmt') return operation.tables.map((t) => t.table);
  const referenced: string[] = [];
  walk(statement.node, (type, fields) => {
    if (type === 'Constraint' && fields.contype === 'CONSTR_FOREIGN') {
      const table = qualifiedName(fields.pktable);
      if (table) referenced.push(table);
    }
  });
  return referenced;
}
