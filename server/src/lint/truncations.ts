import { PgNode, qualifiedName } from '../parse/ast';
import type { MigrationFile, Operation } from '../parse/migration';
import type { Span } from '../parse/text';

/** A TRUNCATE of one table, in SQL or through an ORM (`knex('t').truncate()`, TypeORM's `clearTable`). */
export interface Truncation {
  table: string;
  /** Where the table is named (SQL), or the call. */
  tableSpan: Span;
  operation: Operation;
  /** `TRUNCATE` or the method called. */
  subject: string;
}

const cache = new WeakMap<MigrationFile, Truncation[]>();

/** Every table the file truncates, in file order (one entry per table of a multi-table TRUNCATE). */
export function truncations(file: MigrationFile): Truncation[] {
  let found = cache.get(file);
  if (found) return found;
  found = [];
  for (const operation of file.operations) {
    const statement = operation.statement;
    if (statement?.type === 'TruncateStmt') {
      for (const relation of (statement.node!.TruncateStmt.relations as PgNode[] | undefined) ?? []) {
        const table = qualifiedName(relation.RangeVar);
        if (table)
          found.push({
            table,
            tableSpan: statement.locate(relation.RangeVar.location),
            operation,
            subject: 'TRUNCATE',
          });
      }
    } else if (operation.call?.kind === 'dml' && operation.call.dmlAction === 'truncate' && operation.call.table) {
      found.push({
        table: operation.call.table,
        tableSpan: operation.call.tableSpan ?? operation.call.span,
        operation,
        subject: `${operation.call.method}()`,
      });
    }
  }
  cache.set(file, found);
  return found;
}

/** The first later operation of the truncation's section that inserts, copies or merges rows into the truncated table. */
export function reloadAfter(file: MigrationFile, truncation: Truncation): Operation | undefined {
  const from = file.operations.indexOf(truncation.operation);
  return file.operations.slice(from + 1).find((operation) => {
    if (operation.section !== truncation.operation.section || operation.effect !== 'dml') return false;
    if (!loadsRows(operation)) return false;
    return operation.tables.some((t) => t.table === truncation.table);
  });
}

function loadsRows(operation: Operation): boolean {
  if (operation.call?.kind === 'dml') return operation.call.dmlAction === 'insert';
  const type = operation.statement?.type;
  return type === 'InsertStmt' || type === 'CopyStmt' || type === 'MergeStmt';
}
