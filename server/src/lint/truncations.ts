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
        if (table) found.push({ table, tableSpan: statement.locate(relation.RangeVar.location), operation, subject: 'TRUNCATE' });
      }
    } else if (operation.call?.kind === 'dml' && operation.call.dmlAction === 'truncate' && operation.call.table) {
      found.push({ table: operation.call.table, tableSpan: operation.call.tableSpan ?? operation.call.span, operation, subject: `${operation.call.method}()` });
    }
  }
  cache.set(file, found);
  return found;
}
