import { Dialect, tableLabel } from '../parse/dialect';
import type { Operation } from '../parse/migration';
import type { Statement } from '../parse/sql';

/** How findings name a statement or call: `UPDATE public.plans`, `bulkDelete public.users` (MySQL: `UPDATE plans`). */
export function describeOperation(operation: Operation, dialect: Dialect = 'postgresql'): string {
  const verb = operation.statement ? statementVerb(operation.statement) : (operation.call?.method ?? 'call');
  const table = operation.tables[0]?.table;
  return table ? `${verb} ${tableLabel(table, dialect)}` : verb;
}

const VERBS: Record<string, string> = {
  UpdateStmt: 'UPDATE',
  InsertStmt: 'INSERT INTO',
  DeleteStmt: 'DELETE FROM',
  TruncateStmt: 'TRUNCATE',
  MergeStmt: 'MERGE INTO',
  CopyStmt: 'COPY',
  AlterTableStmt: 'ALTER TABLE',
  CreateStmt: 'CREATE TABLE',
  CreateTableAsStmt: 'CREATE TABLE AS',
  IndexStmt: 'CREATE INDEX ON',
  DropStmt: 'DROP',
  RenameStmt: 'RENAME',
  CreateTrigStmt: 'CREATE TRIGGER',
  CreateFunctionStmt: 'CREATE FUNCTION',
  ViewStmt: 'CREATE VIEW',
};

/** The statement's leading keywords, e.g. `ALTER TABLE`; a data-modifying CTE reads as `WITH ... UPDATE`. */
export function statementVerb(statement: Statement): string {
  const verb = statement.type ? VERBS[statement.type] : undefined;
  if (verb) return verb;
  return statement.text.split(/\s+/, 2).join(' ').toUpperCase();
}
