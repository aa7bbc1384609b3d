import * as ts from 'typescript';
import type { SchemaCall } from '../host-types';
import {
  constantSql,
  arrayOf,
  bareName,
  booleanOf,
  entriesOf,
  ident,
  memberCall,
  objectOf,
  prop,
  requireString,
  sqlLiteral,
  stringOf,
  stringsOf,
  tableIdent,
  unreadable,
} from './literals';

/**
 * node-pg-migrate's `pgm` schema calls, as the SQL it generates, with its index names
 * (`t_a_b_index`, `t_a_unique_index`).
 */
export function nodePgMigrateStatements(call: SchemaCall, table: string): string[] {
  const args = (call.node as ts.CallExpression).arguments;
  const t = tableIdent(table);
  switch (call.method) {
    case 'createTable':
      return createTable(table, args[1], args[2]);
    case 'dropTable':
      return [`DROP TABLE IF EXISTS ${t}`];
    case 'renameTable':
      return [`ALTER TABLE ${t} RENAME TO ${ident(requireString(args[1], 'the new table name'))}`];
    case 'addColumns':
    case 'addColumn':
      return columns(args[1]).map((c) => `ALTER TABLE ${t} ADD COLUMN ${c}`);
    case 'dropColumns':
    case 'dropColumn':
      return columnNames(args[1]).map((c) => `ALTER TABLE ${t} DROP COLUMN ${ident(c)}`);
    case 'renameColumn':
      return [
        `ALTER TABLE ${t} RENAME COLUMN ${ident(requireString(args[1], 'the column'))} TO ${ident(requireString(args[2], 'the new name'))}`,
      ];
    case 'alterColumn':
      return alterColumn(t, requireString(args[1], 'the column'), args[2]);
    case 'createIndex':
    case 'addIndex':
      return [createIndex(table, args[1], args[2])];
    case 'dropIndex': {
      const options = objectOf(args[2]);
      const name =
        stringOf(prop(options, 'name')) ??
        indexName(table, columnNames(args[1]), booleanOf(prop(options, 'unique')) === true);
      return [`DROP INDEX ${concurrently(options)}IF EXISTS ${ident(table.split('.')[0])}.${ident(name)}`];
    }
    case 'addConstraint':
    case 'createConstraint':
      return [addConstraint(table, requireString(args[1], 'the constraint name'), args[2])];
    case 'dropConstraint':
      return [`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${ident(requireString(args[1], 'the constraint name'))}`];
    case 'createTrigger':
      return [createTrigger(table, requireString(args[1], 'the trigger name'), args[2])];
    case 'dropTrigger':
      return [`DROP TRIGGER IF EXISTS ${ident(requireString(args[1], 'the trigger name'))} ON ${t}`];
    default:
      return unreadable(`pgm.${call.method} is not modelled`);
  }
}

function indexName(table: string, columns: string[], unique: boolean): string {
  return `${bareName(table)}_${columns.join('_')}${unique ? '_unique' : ''}_index`;
}

/** `'a'`, `['a', 'b']` or `[{ name: 'a', sort: 'DESC' }]`. */
function columnNames(expr: ts.Expression | undefined): string[] {
  const items = arrayOf(expr);
  if (!items) return stringsOf(expr, 'the columns');
  return items.map((item) => stringOf(item) ?? requireString(prop(objectOf(item), 'name'), 'a column'));
}

/** Column definitions: `{ id: 'id', name: { type: 'varchar(100)', notNull: true, default: ..., references, ... } }`. */
function columns(expr: ts.Expression | undefined): string[] {
  const object = objectOf(expr) ?? unreadable('the columns are not an object literal');
  return entriesOf(object, 'the columns').map(([name, spec]) => {
    const shorthand = stringOf(spec);
    if (shorthand === 'id') return `${ident(name)} SERIAL PRIMARY KEY`;
    const options = objectOf(spec);
    const type = shorthand ?? requireString(prop(options, 'type'), `the type of ${name}`);
    const parts = [ident(name), type === 'id' ? 'SERIAL' : type];
    if (booleanOf(prop(options, 'notNull'))) parts.push('NOT NULL');
    const fallback = prop(options, 'default');
    if (fallback) parts.push(`DEFAULT ${defaultSql(fallback)}`);
    if (booleanOf(prop(options, 'primaryKey')) || type === 'id') parts.push('PRIMARY KEY');
    if (booleanOf(prop(options, 'unique'))) parts.push('UNIQUE');
    const references = prop(options, 'references');
    if (references) parts.push(referencesSql(references, options!));
    return parts.join(' ');
  });
}

/** `default: 'x'` is a literal; `pgm.func('now()')` is SQL. */
function defaultSql(expr: ts.Expression): string {
  const call = memberCall(expr);
  if (call?.name === 'func') return requireString(call.args[0], 'pgm.func');
  return sqlLiteral(expr) ?? constantSql(expr) ?? unreadable('the default value is not a literal');
}

/** `references: 'users'`, `'"users"'`, `'users(id)'` or `{ schema, name }`, with onDelete and deferral options. */
function referencesSql(references: ts.Expression, options: ts.ObjectLiteralExpression): string {
  const object = objectOf(references);
  let target: string;
  let column = '';
  if (object) {
    target = `${stringOf(prop(object, 'schema')) ?? 'public'}.${requireString(prop(object, 'name'), 'the referenced table')}`;
  } else {
    const text = requireString(references, 'the referenced table');
    const match = /^\s*("?[^"(]+"?)(?:\s*\(\s*"?([^")]+)"?\s*\))?\s*$/.exec(text) ?? unreadable('the references text');
    const name = match[1].replace(/"/g, '');
    target = name.includes('.') ? name : `public.${name}`;
    column = match[2] ? ` (${ident(match[2])})` : '';
  }
  const onDelete = stringOf(prop(options, 'onDelete'));
  return (
    `REFERENCES ${tableIdent(target)}${column}` +
    (onDelete ? ` ON DELETE ${onDelete.toUpperCase()}` : '') +
    (booleanOf(prop(options, 'deferrable')) ? ' DEFERRABLE' : '') +
    (booleanOf(prop(options, 'deferred')) ? ' INITIALLY DEFERRED' : '')
  );
}

function createTable(
  table: string,
  columnsExpr: ts.Expression | undefined,
  optionsExpr: ts.Expression | undefined,
): string[] {
  const definitions = columns(columnsExpr);
  const options = objectOf(optionsExpr);
  const constraints = objectOf(prop(options, 'constraints'));
  if (constraints) definitions.push(...constraintClauses(constraints));
  const ifNotExists = booleanOf(prop(options, 'ifNotExists')) ? 'IF NOT EXISTS ' : '';
  return [`CREATE TABLE ${ifNotExists}${tableIdent(table)} (${definitions.join(', ')})`];
}

/** `{ primaryKey: [...], unique: [...] | [[...], [...]], foreignKeys: {...}, check: '...' }`. */
function constraintClauses(constraints: ts.ObjectLiteralExpression): string[] {
  const clauses: string[] = [];
  const primaryKey = prop(constraints, 'primaryKey');
  if (primaryKey) clauses.push(`PRIMARY KEY (${columnNames(primaryKey).map(ident).join(', ')})`);
  const unique = prop(constraints, 'unique');
  if (unique) {
    const groups = arrayOf(unique)?.every((item) => arrayOf(item))
      ? arrayOf(unique)!.map(columnNames)
      : [columnNames(unique)];
    clauses.push(...groups.map((group) => `UNIQUE (${group.map(ident).join(', ')})`));
  }
  const check = stringOf(prop(constraints, 'check'));
  if (check) clauses.push(`CHECK (${check})`);
  const foreignKeys = prop(constraints, 'foreignKeys');
  for (const fk of arrayOf(foreignKeys) ?? (foreignKeys ? [foreignKeys] : [])) {
    const spec = objectOf(fk) ?? unreadable('a foreign key is not an object literal');
    const cols = columnNames(prop(spec, 'columns'));
    clauses.push(
      `FOREIGN KEY (${cols.map(ident).join(', ')}) ${referencesSql(prop(spec, 'references') ?? unreadable('no references'), spec)}`,
    );
  }
  // `deferrable` / `deferred` next to the constraints apply to each of them.
  const deferral =
    (booleanOf(prop(constraints, 'deferrable')) ? ' DEFERRABLE' : '') +
    (booleanOf(prop(constraints, 'deferred')) ? ' INITIALLY DEFERRED' : '');
  return clauses.map((clause) => clause + deferral);
}

function alterColumn(t: string, column: string, optionsExpr: ts.Expression | undefined): string[] {
  const options = objectOf(optionsExpr) ?? unreadable('the column options are not an object literal');
  const c = ident(column);
  const statements: string[] = [];
  const type = stringOf(prop(options, 'type'));
  if (type) statements.push(`ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${type}`);
  const notNull =
    booleanOf(prop(options, 'notNull')) ??
    (booleanOf(prop(options, 'allowNull')) === undefined ? undefined : !booleanOf(prop(options, 'allowNull')));
  if (notNull !== undefined) statements.push(`ALTER TABLE ${t} ALTER COLUMN ${c} ${notNull ? 'SET' : 'DROP'} NOT NULL`);
  const fallback = prop(options, 'default');
  if (fallback) {
    const isNull = sqlLiteral(fallback) === 'NULL';
    statements.push(
      `ALTER TABLE ${t} ALTER COLUMN ${c} ${isNull ? 'DROP DEFAULT' : `SET DEFAULT ${defaultSql(fallback)}`}`,
    );
  }
  return statements;
}

/** `createIndex(table, columns, { name, unique, where, method, include })`. */
function createIndex(
  table: string,
  columnsExpr: ts.Expression | undefined,
  optionsExpr: ts.Expression | undefined,
): string {
  const options = objectOf(optionsExpr);
  const items = arrayOf(columnsExpr);
  const keys = items
    ? items.map((item) => {
        const object = objectOf(item);
        const name = stringOf(item) ?? requireString(prop(object, 'name'), 'an index column');
        return `${ident(name)}${stringOf(prop(object, 'sort'))?.toUpperCase() === 'DESC' ? ' DESC' : ''}`;
      })
    : stringsOf(columnsExpr, 'the index columns').map(ident);
  const unique = booleanOf(prop(options, 'unique')) === true;
  const name = stringOf(prop(options, 'name')) ?? indexName(table, columnNames(columnsExpr), unique);
  const method = stringOf(prop(options, 'method'));
  const include = prop(options, 'include');
  const where = stringOf(prop(options, 'where'));
  return (
    `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${concurrently(options)}${ident(name)} ON ${tableIdent(table)}${method ? ` USING ${method}` : ''} (${keys.join(', ')})` +
    (include ? ` INCLUDE (${columnNames(include).map(ident).join(', ')})` : '') +
    (where ? ` WHERE ${where}` : '')
  );
}

/** `{ concurrently: true }`: node-pg-migrate writes CREATE/DROP INDEX CONCURRENTLY. */
function concurrently(options: ts.ObjectLiteralExpression | undefined): string {
  return booleanOf(prop(options, 'concurrently')) === true ? 'CONCURRENTLY ' : '';
}

/** `addConstraint(table, name, 'UNIQUE (a)')` or `addConstraint(table, name, { unique, primaryKey, foreignKeys, check })`. */
function addConstraint(table: string, name: string, expr: ts.Expression | undefined): string {
  const text = stringOf(expr);
  const object = objectOf(expr);
  const clause =
    text ?? (object ? constraintClauses(object)[0] : undefined) ?? unreadable('the constraint is not literal');
  return `ALTER TABLE ${tableIdent(table)} ADD CONSTRAINT ${ident(name)} ${clause}`;
}

/** `createTrigger(table, name, { when, operation, level, function, constraint, deferrable, deferred })`. */
function createTrigger(table: string, name: string, expr: ts.Expression | undefined): string {
  const options = objectOf(expr) ?? unreadable('the trigger options are not an object literal');
  const operations = stringsOf(prop(options, 'operation'), 'the trigger operations').join(' OR ');
  const constraint = booleanOf(prop(options, 'constraint'));
  const when = constraint ? 'AFTER' : (stringOf(prop(options, 'when')) ?? 'AFTER');
  const level = stringOf(prop(options, 'level')) ?? 'STATEMENT';
  const fn = prop(options, 'function');
  const fnName =
    stringOf(fn) ?? stringOf(prop(objectOf(fn), 'name')) ?? unreadable('the trigger function is defined inline');
  const deferral =
    (booleanOf(prop(options, 'deferrable')) ? ' DEFERRABLE' : '') +
    (booleanOf(prop(options, 'deferred')) ? ' INITIALLY DEFERRED' : '');
  return (
    `CREATE ${constraint ? 'CONSTRAINT ' : ''}TRIGGER ${ident(name)} ${when} ${operations} ON ${tableIdent(table)}${constraint ? deferral : ''} ` +
    `FOR EACH ${level} EXECUTE FUNCTION ${fnName}()`
  );
}
