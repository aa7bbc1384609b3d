import { PgNode, fieldsOf } from '../parse/ast';
import type { MigrationFile } from '../parse/migration';
import type { Statement } from '../parse/sql';
import type { Catalog } from '../schema/catalog';
import { builtinTypeName, isComputedType } from './column-types';
import { findConstraint, isNotValid, usesExistingIndex } from './constraints';
import { firstVolatileCall } from './function-volatility';
import { reindexIsConcurrent, vacuumIsFull } from './locks';

/**
 * What a schema change makes PostgreSQL do to every row of a table while it holds its lock:
 * - `rewrite`: write a new copy of the table (and rebuild its indexes);
 * - `check`: read every row to check a new CHECK constraint or NOT NULL;
 * - `build`: read every row to build an index (a new index, or one behind PRIMARY KEY, UNIQUE, EXCLUDE);
 * - `validate`: read every row to validate a foreign key or a NOT VALID constraint, with a query of its own.
 * One ALTER TABLE does all its rewrites and checks in a single pass over the table; index builds and
 * validations are passes of their own. Changes that only touch the catalog (ADD COLUMN without a volatile
 * default, RENAME, DROP COLUMN, SET DEFAULT, ... NOT VALID) do none of this: they are instant once locked.
 */
export type TableWorkKind = 'rewrite' | 'check' | 'build' | 'validate';

export interface TableWork {
  kind: TableWorkKind;
  /** What causes it, for messages: `ALTER COLUMN amount TYPE bigint`, `SET NOT NULL on email`. */
  cause: string;
}

export interface TableWorkContext {
  file: MigrationFile;
  pgVersion: number;
  catalog?: Catalog;
  /** `schema.table` the action is on. */
  table: string;
}

/** The work one ALTER TABLE action does, or undefined for a catalog-only change. */
export function alterActionWork(cmd: PgNode, context: TableWorkContext): TableWork | undefined {
  switch (cmd.subtype) {
    case 'AT_AddColumn':
      return addColumnWork(fieldsOf(cmd.def), context);
    case 'AT_AlterColumnType':
      return alterTypeWork(cmd, context);
    case 'AT_SetNotNull':
      return { kind: 'check', cause: `SET NOT NULL on ${cmd.name}` };
    case 'AT_AddConstraint':
      return addConstraintWork(cmd.def?.Constraint ?? {});
    case 'AT_ValidateConstraint':
      return { kind: 'validate', cause: `VALIDATE CONSTRAINT ${cmd.name}` };
    case 'AT_SetTableSpace':
      return { kind: 'rewrite', cause: `SET TABLESPACE ${cmd.name}` };
    case 'AT_SetLogged':
      return { kind: 'rewrite', cause: 'SET LOGGED' };
    case 'AT_SetUnLogged':
      return { kind: 'rewrite', cause: 'SET UNLOGGED' };
    case 'AT_SetAccessMethod':
      return { kind: 'rewrite', cause: `SET ACCESS METHOD ${cmd.name ?? 'DEFAULT'}` };
    default:
      return undefined;
  }
}

/**
 * Since PostgreSQL 11 a non-volatile default is stored once in the catalog; a volatile one, an identity or
 * serial column, or a stored generated column is computed and written for each existing row.
 */
function addColumnWork(def: PgNode, context: TableWorkContext): TableWork | undefined {
  const column = def.colname;
  const generated = findConstraint(def, 'CONSTR_GENERATED');
  if (generated && generated.generated_kind !== 'v')
    return { kind: 'rewrite', cause: `ADD COLUMN ${column} ... STORED` };
  if (findConstraint(def, 'CONSTR_IDENTITY')) return { kind: 'rewrite', cause: `ADD COLUMN ${column} ... IDENTITY` };
  const type = def.typeName ? (builtinTypeName(def.typeName) ?? '') : '';
  if (type.includes('serial')) return { kind: 'rewrite', cause: `ADD COLUMN ${column} ${type}` };
  const defaulted = findConstraint(def, 'CONSTR_DEFAULT');
  if (defaulted && !isNullConstant(defaulted.raw_expr)) {
    if (context.pgVersion < 11)
      return { kind: 'rewrite', cause: `ADD COLUMN ${column} DEFAULT ... (before PostgreSQL 11)` };
    if (firstVolatileCall(defaulted.raw_expr, context.file))
      return { kind: 'rewrite', cause: `ADD COLUMN ${column} with a volatile DEFAULT` };
  }
  if (findConstraint(def, 'CONSTR_CHECK')) return { kind: 'check', cause: `ADD COLUMN ${column} ... CHECK` };
  if (findConstraint(def, 'CONSTR_NOTNULL') && !defaulted)
    return { kind: 'check', cause: `ADD COLUMN ${column} ... NOT NULL` };
  if (findConstraint(def, 'CONSTR_PRIMARY', 'CONSTR_UNIQUE'))
    return { kind: 'build', cause: `ADD COLUMN ${column} ... UNIQUE` };
  return undefined;
}

function isNullConstant(expression: PgNode | undefined): boolean {
  return Boolean(expression?.A_Const?.isnull);
}

/**
 * A type change rewrites the table unless the new type is binary compatible with the old one: the schema
 * source tells the old type; without it only a USING clause or a clearly different target type counts.
 */
function alterTypeWork(cmd: PgNode, context: TableWorkContext): TableWork | undefined {
  const def = cmd.def?.ColumnDef ?? {};
  const cause = `ALTER COLUMN ${cmd.name} TYPE`;
  if (def.raw_default) return { kind: 'rewrite', cause: `${cause} ... USING` };
  if (isComputedType(def.typeName)) return undefined;
  const target = def.typeName ? builtinTypeName(def.typeName) : undefined;
  const current = context.catalog?.tables.get(context.table)?.columns.find((c) => c.name === cmd.name)?.type;
  if (current !== undefined && target !== undefined && binaryCompatible(current, target, def.typeName))
    return undefined;
  if (current === undefined && (target === 'text' || target === 'varchar')) return undefined;
  return { kind: 'rewrite', cause };
}

/** Type changes PostgreSQL makes without touching the rows (the common ones). */
function binaryCompatible(current: string, target: string, typeName: PgNode): boolean {
  const widened = /^character varying(\(\d+\))?$/.test(current) || current === 'text';
  if (widened && target === 'text') return true;
  if (widened && target === 'varchar') {
    const length = typeName.typmods?.[0]?.A_Const?.ival?.ival as number | undefined;
    const before = /\((\d+)\)/.exec(current)?.[1];
    return length === undefined || (before !== undefined && current !== 'text' && length >= Number(before));
  }
  return current === 'cidr' && target === 'inet';
}

function addConstraintWork(constraint: PgNode): TableWork | undefined {
  const name = constraint.conname ? ` ${constraint.conname}` : '';
  switch (constraint.contype) {
    case 'CONSTR_CHECK':
      return isNotValid(constraint) ? undefined : { kind: 'check', cause: `ADD CONSTRAINT${name} CHECK` };
    case 'CONSTR_FOREIGN':
      return isNotValid(constraint) ? undefined : { kind: 'validate', cause: `ADD CONSTRAINT${name} FOREIGN KEY` };
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE':
      return usesExistingIndex(constraint)
        ? undefined
        : {
            kind: 'build',
            cause: `ADD CONSTRAINT${name} ${constraint.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE'}`,
          };
    case 'CONSTR_EXCLUSION':
      return { kind: 'build', cause: `ADD CONSTRAINT${name} EXCLUDE` };
    default:
      return undefined;
  }
}

/** The work a statement other than ALTER TABLE does on the table it names (index builds, rewrites). */
export function statementWork(statement: Statement): TableWork | undefined {
  const fields = fieldsOf(statement.node);
  switch (statement.type) {
    case 'IndexStmt':
      return {
        kind: 'build',
        cause: `CREATE ${fields.unique ? 'UNIQUE ' : ''}INDEX${fields.concurrent ? ' CONCURRENTLY' : ''}`,
      };
    case 'ClusterStmt':
      return { kind: 'rewrite', cause: 'CLUSTER' };
    case 'VacuumStmt':
      return vacuumIsFull(fields) ? { kind: 'rewrite', cause: 'VACUUM FULL' } : undefined;
    case 'ReindexStmt':
      return { kind: 'rewrite', cause: reindexIsConcurrent(fields) ? 'REINDEX CONCURRENTLY' : 'REINDEX' };
    case 'RefreshMatViewStmt':
      return { kind: 'rewrite', cause: `REFRESH MATERIALIZED VIEW${fields.concurrent ? ' CONCURRENTLY' : ''}` };
    default:
      return undefined;
  }
}
