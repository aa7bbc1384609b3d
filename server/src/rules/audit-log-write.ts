import { AlterTableCommand, actionFileSpan, actionTokens, alterTableCommands } from '../lint/alter-table';
import { isAuditTable } from '../lint/audit-tables';
import { firstVolatileCall } from '../lint/function-volatility';
import { Rule } from '../lint/rule';
import { droppedObjects } from '../lint/statements';
import { PgNode, fieldsOf, nameList, qualifiedName, walk } from '../parse/ast';
import { DIALECTS, tableLabel } from '../parse/dialect';
import { runsNow } from '../parse/execution';
import type { MigrationFile, Operation } from '../parse/migration';
import type { Statement } from '../parse/sql';
import type { Span } from '../parse/text';

/** What a statement or call does to the entries an audit table already holds. */
type HistoryHarm =
  | 'rewrite'
  | 'delete'
  | 'delete-all'
  | 'rewrite-or-delete'
  | 'drop-table'
  | 'drop-column'
  | 'convert-column'
  | 'refill-column';

interface HistoryChange {
  /** How the finding names the statement or call: `DELETE`, `DROP COLUMN note`, `bulkUpdate`. */
  subject: string;
  harm: HistoryHarm;
  table: string;
  /** Where the audit table is named. */
  span: Span;
}

const HARMS: Record<HistoryHarm, (table: string) => string> = {
  rewrite: (t) => `rewrites entries of the audit table ${t}`,
  delete: (t) => `removes entries from the audit table ${t}`,
  'delete-all': (t) => `removes every entry from the audit table ${t}`,
  'rewrite-or-delete': (t) => `rewrites or removes entries of the audit table ${t}`,
  'drop-table': (t) => `destroys the audit table ${t} with every entry in it`,
  'drop-column': (t) => `removes a column, and what it recorded, from every entry of the audit table ${t}`,
  'convert-column': (t) =>
    `converts a recorded value in every entry of the audit table ${t} (a cast or USING expression can change or truncate it)`,
  'refill-column': (t) =>
    `rewrites every entry of the audit table ${t}, filling a column with a value computed now rather than when the entry was written`,
};

const SCHEMA_HARMS = new Set<HistoryHarm>(['drop-table', 'drop-column', 'convert-column', 'refill-column']);

export const rule: Rule = {
  id: 'audit-log-write',
  severity: 'error',
  summary: 'UPDATE, DELETE, TRUNCATE or a destructive ALTER/DROP of an append-only audit table.',
  dialects: DIALECTS,
  examples: {
    bad: 'DELETE FROM logs.changes WHERE record_id IN (SELECT id FROM duplicate_links);',
    good:
      'INSERT INTO logs.changes (record_id, record_deleted_at, reason)\n' +
      "SELECT id, now(), 'duplicate link removed by dedupe migration' FROM duplicate_links;",
  },
  check({ file, config, catalog, report }) {
    const changes = [...file.operations.flatMap((operation) => historyChanges(operation)), ...alterTableChanges(file)];
    for (const change of changes) {
      if (!isAuditTable(change.table, config, catalog)) continue;
      // A pattern without a schema matches the table in any schema: `!changes` also excludes MySQL's `changes`.
      const table = tableLabel(change.table, file.dialect);
      report({
        span: change.span,
        message:
          `${change.subject} ${HARMS[change.harm](table)}. An audit log is append-only history: after this ` +
          `runs, nothing shows what its entries said, or that they were ever changed.`,
        help:
          (SCHEMA_HARMS.has(change.harm)
            ? 'Keep the recorded history: add a new column or table and write there from now on, leaving the old one ' +
              'in place (rename it if it is in the way).'
            : 'Leave existing entries as they are and append a compensating entry instead, e.g. ' +
              `INSERT INTO ${table} (..., reason) VALUES (..., 'duplicate removed by migration 0042').`) +
          ` If ${table} is not an audit log, add "!${table}" to "auditTables" in .preflightrc.json.`,
      });
    }
  },
};

function historyChanges(operation: Operation): HistoryChange[] {
  // An ORM schema call is a statement too: the SQL it sends (parse/orm/).
  if (operation.statement) return statementChanges(operation.statement, operation);
  const call = operation.call;
  const touched = operation.tables[0];
  if (call?.kind !== 'dml' || !touched) return [];
  const harm = call.dmlAction ? ORM_DML_HARMS[call.dmlAction] : undefined;
  return harm ? [{ subject: `${call.method}()`, harm, table: touched.table, span: touched.span }] : [];
}

const ORM_DML_HARMS: Record<string, HistoryHarm | undefined> = {
  update: 'rewrite',
  delete: 'delete',
  truncate: 'delete-all',
};

function statementChanges(statement: Statement, operation: Operation): HistoryChange[] {
  if (statement.type === 'DropStmt') {
    const drop = { operation, statement, node: fieldsOf(statement.node) };
    if (drop.node.removeType !== 'OBJECT_TABLE') return [];
    return droppedObjects(drop).map(({ name, span }) => ({
      subject: 'DROP TABLE',
      harm: 'drop-table',
      table: name,
      span,
    }));
  }
  if (!runsNow(statement)) return [];
  // Data-modifying statements can only appear at the top level or in its WITH clause, so every one found
  // below a statement that runs now runs too (a CREATE FUNCTION body is a string, never walked).
  const changes: HistoryChange[] = [];
  const add = (subject: string, harm: HistoryHarm, rangeVar: PgNode | undefined) => {
    const table = qualifiedName(rangeVar);
    if (table) changes.push({ subject, harm, table, span: statement.locate(rangeVar!.location) });
  };
  walk(statement.node, (type, node) => {
    switch (type) {
      case 'UpdateStmt':
        add('UPDATE', 'rewrite', node.relation);
        break;
      case 'DeleteStmt':
        add('DELETE', 'delete', node.relation);
        break;
      case 'TruncateStmt':
        for (const relation of (node.relations as PgNode[] | undefined) ?? [])
          add('TRUNCATE', 'delete-all', relation.RangeVar);
        break;
      case 'MergeStmt':
        if (mergeChangesRows(node)) add('MERGE', 'rewrite-or-delete', node.relation);
        break;
      case 'InsertStmt':
        // Appending is what an audit log is for; an upsert that overwrites a conflicting entry is not.
        if (node.onConflictClause?.action === 'ONCONFLICT_UPDATE')
          add(upsertSubject(statement), 'rewrite', node.relation);
        break;
    }
  });
  return changes;
}

/** How the finding names an upsert: MySQL writes it `ON DUPLICATE KEY UPDATE`, or `REPLACE` (delete, then insert). */
function upsertSubject(statement: Statement): string {
  if (statement.dialect === 'postgresql') return 'INSERT ... ON CONFLICT DO UPDATE';
  return /^\s*replace\b/i.test(statement.text) ? 'REPLACE' : 'INSERT ... ON DUPLICATE KEY UPDATE';
}

/** A MERGE whose WHEN clauses only INSERT or DO NOTHING appends, like an INSERT. */
function mergeChangesRows(merge: PgNode): boolean {
  const clauses = (merge.mergeWhenClauses as PgNode[] | undefined) ?? [];
  return clauses.some((clause) => ['CMD_UPDATE', 'CMD_DELETE'].includes(clause.MergeWhenClause?.commandType));
}

/** ALTER TABLE actions that destroy or rewrite what the rows recorded; the finding covers the action. */
function alterTableChanges(file: MigrationFile): HistoryChange[] {
  return alterTableCommands(file).flatMap((command) => {
    const change = alterTableChange(command, file);
    return change ? [{ ...change, table: command.table, span: actionFileSpan(command) }] : [];
  });
}

function alterTableChange(
  command: AlterTableCommand,
  file: MigrationFile,
): Pick<HistoryChange, 'subject' | 'harm'> | undefined {
  const cmd = command.cmd;
  switch (cmd.subtype) {
    case 'AT_DropColumn':
      return { subject: `DROP COLUMN ${cmd.name}`, harm: 'drop-column' };
    case 'AT_AlterColumnType':
      return { subject: columnTypeSubject(command), harm: 'convert-column' };
    case 'AT_SetExpression':
      return { subject: `ALTER COLUMN ${cmd.name} SET EXPRESSION`, harm: 'refill-column' };
    case 'AT_AddColumn': {
      const column = fieldsOf(cmd.def);
      return fillsEveryRow(column, file)
        ? { subject: `ADD COLUMN ${column.colname}`, harm: 'refill-column' }
        : undefined;
    }
    default:
      return undefined;
  }
}

/** `ALTER COLUMN x TYPE`; in MySQL `MODIFY COLUMN x` or `CHANGE COLUMN x`, which restate the column's type. */
function columnTypeSubject(command: AlterTableCommand): string {
  if (command.statement.dialect === 'postgresql') return `ALTER COLUMN ${command.cmd.name} TYPE`;
  const { tokens, first } = actionTokens(command);
  return `${tokens[first]?.text.toUpperCase() ?? 'MODIFY'} COLUMN ${command.cmd.name}`;
}

const SERIAL_TYPES = new Set(['smallserial', 'serial', 'bigserial', 'serial2', 'serial4', 'serial8']);

/**
 * Since PostgreSQL 11, ADD COLUMN with a non-volatile default only records the default in the catalog; a
 * volatile default, an identity or serial column, or a stored generated column makes PostgreSQL rewrite every
 * existing row to fill it in.
 */
function fillsEveryRow(column: PgNode, file: MigrationFile): boolean {
  const typeName = nameList(column.typeName?.names).pop()?.toLowerCase() ?? '';
  if (SERIAL_TYPES.has(typeName)) return true;
  return ((column.constraints as PgNode[] | undefined) ?? []).some(({ Constraint: constraint }) => {
    if (constraint?.contype === 'CONSTR_IDENTITY') return true;
    if (constraint?.contype === 'CONSTR_GENERATED') return constraint.generated_kind !== 'v';
    return constraint?.contype === 'CONSTR_DEFAULT' && firstVolatileCall(constraint.raw_expr, file) !== undefined;
  });
}
