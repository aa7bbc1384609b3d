import type * as ts from 'typescript';
import { PgNode, columnName, constantValue, qualifiedName, walk } from '../parse/ast';
import { runsNow } from '../parse/execution';
import { isHolePlaceholder } from '../parse/fragment';
import type { MigrationFile, Operation } from '../parse/migration';
import type { Statement } from '../parse/sql';
import type { Span } from '../parse/text';
import { typescript } from '../parse/typescript';

/**
 * An UPDATE or DELETE that runs when the migration or script runs, in SQL (statements, DO blocks,
 * data-modifying CTEs) or through an ORM or query builder (Sequelize's `bulkUpdate`/`bulkDelete`, knex's
 * `update()`/`del()`), with what its filter says about which rows it touches.
 */
export interface RowChange {
  action: 'update' | 'delete';
  /** `schema.table`. */
  table: string;
  /** Where the table is named (SQL), or the ORM call. */
  tableSpan: Span;
  /** The statement or call, for findings that cover all of it. */
  span: Span;
  operation: Operation;
  /** For SQL: the statement and the UpdateStmt/DeleteStmt fields. */
  statement?: Statement;
  fields?: PgNode;
  /** No WHERE clause, or one that is always true (`WHERE true`, `WHERE 1 = 1`). */
  everyRow: boolean;
  /** For UPDATE: the columns it sets (unknown for ORM calls). */
  setColumns: string[];
}

const cache = new WeakMap<MigrationFile, RowChange[]>();

/** Every UPDATE and DELETE the file runs, in file order. */
export function rowChanges(file: MigrationFile): RowChange[] {
  let changes = cache.get(file);
  if (changes) return changes;
  changes = [];
  for (const operation of file.operations) {
    if (operation.statement) changes.push(...statementRowChanges(operation, operation.statement));
    else if (operation.call?.kind === 'dml') {
      const change = ormRowChange(operation);
      if (change) changes.push(change);
    }
  }
  cache.set(file, changes);
  return changes;
}

function statementRowChanges(operation: Operation, statement: Statement): RowChange[] {
  if (!statement.node || !runsNow(statement)) return [];
  const changes: RowChange[] = [];
  // Data-modifying statements appear only at the top level or in a WITH clause, so all of them run.
  walk(statement.node, (type, fields) => {
    if (type !== 'UpdateStmt' && type !== 'DeleteStmt') return;
    const table = qualifiedName(fields.relation);
    if (!table) return;
    changes.push({
      action: type === 'UpdateStmt' ? 'update' : 'delete',
      table,
      tableSpan: statement.locate(fields.relation.location),
      span: statement.fileSpan,
      operation,
      statement,
      fields,
      everyRow: !fields.whereClause || isAlwaysTrue(fields.whereClause),
      setColumns: ((fields.targetList as PgNode[] | undefined) ?? []).map((t) => t.ResTarget?.name).filter(Boolean),
    });
  });
  return changes;
}

/** Whether a WHERE expression holds for every row whatever the row holds (a constant `true` in disguise). */
export function isAlwaysTrue(expression: PgNode | undefined): boolean {
  if (!expression) return false;
  if (expression.A_Const) return expression.A_Const.boolval?.boolval === true;
  if (expression.TypeCast) {
    const value = constantValue(expression.TypeCast.arg);
    return typeof value === 'string' && ['t', 'true', 'on', 'yes', '1'].includes(value.toLowerCase());
  }
  const bool = expression.BoolExpr;
  if (bool) {
    const args = (bool.args as PgNode[] | undefined) ?? [];
    if (bool.boolop === 'AND_EXPR') return args.every(isAlwaysTrue);
    if (bool.boolop === 'OR_EXPR') return args.some(isAlwaysTrue);
    return false;
  }
  const comparison = expression.A_Expr;
  if (comparison?.kind === 'AEXPR_OP' && comparison.name?.[0]?.String?.sval === '=') {
    const left = constantValue(comparison.lexpr);
    return left !== undefined && left === constantValue(comparison.rexpr);
  }
  return false;
}

/**
 * Whether every conjunct of a WHERE is a test that does not narrow the rows down by value: `col IS [NOT]
 * NULL`, a constant `true`, or a join between two columns (`t.id = s.t_id`). Such a WHERE still sweeps the
 * table: it is the usual shape of a backfill (`... WHERE new_col IS NULL`).
 */
export function sweepsTable(where: PgNode | undefined): boolean {
  if (!where || isAlwaysTrue(where)) return true;
  if (where.BoolExpr?.boolop === 'AND_EXPR')
    return ((where.BoolExpr.args as PgNode[] | undefined) ?? []).every(sweepsTable);
  if (where.NullTest) return isColumn(where.NullTest.arg);
  const comparison = where.A_Expr;
  if (comparison?.kind === 'AEXPR_OP' && comparison.name?.[0]?.String?.sval === '=') {
    return isColumn(comparison.lexpr) && isColumn(comparison.rexpr);
  }
  return false;
}

/** A column reference; a `${}` hole of a TS/JS template parses as one but stands for a value. */
function isColumn(node: PgNode | undefined): boolean {
  const name = columnName(node);
  return name !== undefined && !isHolePlaceholder(name);
}

/** The knex query-builder links that filter rows. */
const KNEX_FILTERS =
  /^(where|andWhere|orWhere|whereIn|whereNot|whereNull|whereNotNull|whereRaw|whereExists|whereBetween|whereLike|whereILike|whereJsonPath|first|limit)/;

/**
 * Sequelize's `bulkUpdate(table, values, where)` and `bulkDelete(table, where)` touch every row when `where`
 * is missing, `null` or `{}`; a knex chain does when none of its links filters.
 */
function ormRowChange(operation: Operation): RowChange | undefined {
  const call = operation.call;
  if (!call || call.kind !== 'dml' || !typescript().isCallExpression(call.node)) return undefined;
  const action = call.dmlAction;
  if ((action !== 'update' && action !== 'delete') || !call.table) return undefined;
  let everyRow: boolean;
  if (call.method === 'bulkUpdate' || call.method === 'bulkDelete') {
    everyRow = isEmptyFilter(call.node.arguments[call.method === 'bulkUpdate' ? 2 : 1]);
  } else if (['update', 'del', 'delete', 'increment', 'decrement'].includes(call.method)) {
    everyRow = !chainLinks(call.node).some((name) => KNEX_FILTERS.test(name));
  } else {
    return undefined;
  }
  return {
    action,
    table: call.table,
    tableSpan: call.tableSpan ?? call.span,
    span: call.span,
    operation,
    everyRow,
    setColumns: [],
  };
}

function isEmptyFilter(arg: ts.Expression | undefined): boolean {
  if (!arg) return true;
  const ts = typescript();
  const inner = hostSyntax().unwrap(arg);
  if (inner.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isIdentifier(inner) && inner.text === 'undefined') return true;
  return ts.isObjectLiteralExpression(inner) && inner.properties.length === 0;
}

/** The method names of a call chain, outermost first: `knex('t').where(...).update(...)` → update, where. */
function chainLinks(call: ts.CallExpression): string[] {
  const ts = typescript();
  const names: string[] = [];
  let current: ts.Expression = call;
  for (;;) {
    current = hostSyntax().unwrap(current);
    if (ts.isCallExpression(current)) current = current.expression;
    else if (ts.isPropertyAccessExpression(current)) {
      names.push(current.name.text);
      current = current.expression;
    } else return names;
  }
}

/** host-syntax.ts loads the TypeScript compiler: only ORM calls, which exist only in TS/JS files, need it. */
function hostSyntax(): typeof import('../parse/host-syntax') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../parse/host-syntax');
}
