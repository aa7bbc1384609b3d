import * as ts from 'typescript';
import type { SchemaCall } from '../parse/host-types';
import {
  arrayOf,
  bareName,
  booleanOf,
  entriesOf,
  ident,
  memberCall,
  numberOf,
  objectOf,
  prop,
  requireString,
  sqlLiteral,
  stringOf,
  stringsOf,
  tableIdent,
  unreadable,
} from './orm-literals';

/**
 * Sequelize's QueryInterface schema calls, as the SQL its PostgreSQL dialect sends: the same column types,
 * the same generated index and constraint names (`users_email` for `addIndex('users', ['email'])`).
 */
export function sequelizeStatements(call: SchemaCall, table: string): string[] {
  const args = (call.node as ts.CallExpression).arguments;
  const t = tableIdent(table);
  switch (call.method) {
    case 'createTable':
      return createTable(table, args[1]);
    case 'addColumn':
      return [`ALTER TABLE ${t} ADD COLUMN ${column(table, requireString(args[1], 'the column name'), args[2]).sql}`];
    case 'removeColumn':
      return [`ALTER TABLE ${t} DROP COLUMN ${ident(requireString(args[1], 'the column name'))}`];
    case 'changeColumn':
      return changeColumn(table, requireString(args[1], 'the column name'), args[2]);
    case 'renameColumn':
      return [
        `ALTER TABLE ${t} RENAME COLUMN ${ident(requireString(args[1], 'the column name'))} TO ${ident(requireString(args[2], 'the new name'))}`,
      ];
    case 'renameTable':
      return [`ALTER TABLE ${t} RENAME TO ${ident(newTableName(args[1]))}`];
    case 'dropTable':
      return [`DROP TABLE IF EXISTS ${t}`];
    case 'addIndex':
      return [addIndex(table, args[1], args[2])];
    case 'removeIndex': {
      const name = stringOf(args[1]) ?? indexName(table, fieldNames(args[1]));
      return [`DROP INDEX IF EXISTS ${ident(table.split('.')[0])}.${ident(name)}`];
    }
    case 'addConstraint':
      return [addConstraint(table, args[1], args[2])];
    case 'removeConstraint':
      return [`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${ident(requireString(args[1], 'the constraint name'))}`];
    default:
      return unreadable(`queryInterface.${call.method} is not modelled`);
  }
}

function createTable(table: string, attributesExpr: ts.Expression | undefined): string[] {
  const attributes = objectOf(attributesExpr) ?? unreadable('the attributes are not an object literal');
  const definitions: string[] = [];
  const primaryKey: string[] = [];
  for (const [name, spec] of entriesOf(attributes, 'the attributes')) {
    const col = column(table, name, spec);
    definitions.push(col.sql);
    if (col.primaryKey) primaryKey.push(col.name);
  }
  if (primaryKey.length > 0) definitions.push(`PRIMARY KEY (${primaryKey.map(ident).join(', ')})`);
  return [`CREATE TABLE IF NOT EXISTS ${tableIdent(table)} (${definitions.join(', ')})`];
}

interface ColumnSql {
  name: string;
  sql: string;
  primaryKey: boolean;
}

/** One attribute: `{ type, allowNull, defaultValue, primaryKey, autoIncrement, unique, references }` or a bare type. */
function column(table: string, attribute: string, spec: ts.Expression | undefined): ColumnSql {
  const object = objectOf(spec);
  const name = stringOf(prop(object, 'field')) ?? attribute;
  let type = sqlType(object ? prop(object, 'type') : spec, table, name);
  if (booleanOf(prop(object, 'autoIncrement'))) type = type === 'BIGINT' ? 'BIGSERIAL' : 'SERIAL';
  const parts = [ident(name), type];
  if (booleanOf(prop(object, 'allowNull')) === false) parts.push('NOT NULL');
  const fallback = defaultSql(prop(object, 'defaultValue'));
  if (fallback) parts.push(`DEFAULT ${fallback}`);
  if (booleanOf(prop(object, 'unique'))) parts.push('UNIQUE');
  const references = objectOf(prop(object, 'references'));
  if (references) parts.push(referencesSql(references, 'model', 'key', object!));
  return { name, sql: parts.join(' '), primaryKey: booleanOf(prop(object, 'primaryKey')) === true };
}

/** `REFERENCES "users" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED`. */
function referencesSql(
  references: ts.ObjectLiteralExpression,
  tableKey: string,
  columnKey: string,
  options: ts.ObjectLiteralExpression,
): string {
  const target = prop(references, tableKey);
  const targetObject = objectOf(target);
  const targetTable = targetObject
    ? `${stringOf(prop(targetObject, 'schema')) ?? 'public'}.${requireString(prop(targetObject, 'tableName'), 'the referenced table')}`
    : `public.${requireString(target, 'the referenced table')}`;
  const key = stringOf(prop(references, columnKey));
  const onDelete = stringOf(prop(options, 'onDelete'));
  const onUpdate = stringOf(prop(options, 'onUpdate'));
  return [
    `REFERENCES ${tableIdent(targetTable)}${key ? ` (${ident(key)})` : ''}`,
    onDelete ? `ON DELETE ${onDelete.toUpperCase()}` : '',
    onUpdate ? `ON UPDATE ${onUpdate.toUpperCase()}` : '',
    deferrableSql(prop(options, 'deferrable') ?? prop(references, 'deferrable')),
  ]
    .filter((part) => part !== '')
    .join(' ');
}

/** `Sequelize.Deferrable.INITIALLY_DEFERRED` and friends. */
function deferrableSql(expr: ts.Expression | undefined): string {
  const name = memberCall(expr)?.name;
  if (name === 'INITIALLY_DEFERRED') return 'DEFERRABLE INITIALLY DEFERRED';
  if (name === 'INITIALLY_IMMEDIATE') return 'DEFERRABLE INITIALLY IMMEDIATE';
  return '';
}

const TYPES: Record<string, (args: readonly ts.Expression[]) => string> = {
  STRING: (a) => `VARCHAR(${numberOf(a[0]) ?? 255})`,
  CHAR: (a) => `CHAR(${numberOf(a[0]) ?? 255})`,
  TEXT: () => 'TEXT',
  CITEXT: () => 'CITEXT',
  TINYINT: () => 'SMALLINT',
  SMALLINT: () => 'SMALLINT',
  MEDIUMINT: () => 'INTEGER',
  INTEGER: () => 'INTEGER',
  BIGINT: () => 'BIGINT',
  FLOAT: () => 'FLOAT',
  REAL: () => 'REAL',
  DOUBLE: () => 'DOUBLE PRECISION',
  DECIMAL: (a) => (a.length ? `DECIMAL(${a.map((x) => numberOf(x)).join(',')})` : 'DECIMAL'),
  NUMERIC: (a) => (a.length ? `DECIMAL(${a.map((x) => numberOf(x)).join(',')})` : 'DECIMAL'),
  BOOLEAN: () => 'BOOLEAN',
  DATE: () => 'TIMESTAMP WITH TIME ZONE',
  DATEONLY: () => 'DATE',
  TIME: () => 'TIME',
  UUID: () => 'UUID',
  JSON: () => 'JSON',
  JSONB: () => 'JSONB',
  BLOB: () => 'BYTEA',
  INET: () => 'INET',
  CIDR: () => 'CIDR',
  MACADDR: () => 'MACADDR',
  TSVECTOR: () => 'TSVECTOR',
};

/** `DataTypes.STRING(100)`, `Sequelize.ARRAY(Sequelize.TEXT)`, `Sequelize.ENUM('a', 'b')`, `'VARCHAR(20)'`. */
function sqlType(expr: ts.Expression | undefined, table: string, column: string): string {
  const literal = stringOf(expr);
  if (literal !== undefined) return literal;
  const type = memberCall(expr) ?? unreadable(`the type of ${column} is not a Sequelize data type`);
  if (type.name === 'ARRAY') return `${sqlType(type.args[0], table, column)}[]`;
  // Sequelize names the enum type it creates after the table and column.
  if (type.name === 'ENUM') return ident(`enum_${bareName(table)}_${column}`);
  return TYPES[type.name]?.(type.args) ?? unreadable(`Sequelize type ${type.name} is not modelled`);
}

/**
 * A default the database holds: literals, `Sequelize.fn('now')`, `Sequelize.literal('...')`. `Sequelize.NOW`
 * and `UUIDV4` are filled in by Sequelize itself, so the column has no default in the database.
 */
function defaultSql(expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const literal = sqlLiteral(expr);
  if (literal !== undefined) return literal;
  const call = memberCall(expr);
  if (call?.name === 'literal') return requireString(call.args[0], 'Sequelize.literal');
  if (call?.name === 'fn')
    return `${requireString(call.args[0], 'Sequelize.fn')}(${call.args
      .slice(1)
      .map((a) => sqlLiteral(a) ?? unreadable('a Sequelize.fn argument'))
      .join(', ')})`;
  if (call && ['NOW', 'UUIDV1', 'UUIDV4'].includes(call.name)) return undefined;
  return unreadable('the default value is not a literal');
}

function changeColumn(table: string, name: string, spec: ts.Expression | undefined): string[] {
  const object = objectOf(spec);
  const t = tableIdent(table);
  const c = ident(name);
  const statements = [
    `ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${sqlType(object ? prop(object, 'type') : spec, table, name)}`,
  ];
  if (!object) return statements;
  const allowNull = booleanOf(prop(object, 'allowNull'));
  statements.push(`ALTER TABLE ${t} ALTER COLUMN ${c} ${allowNull === false ? 'SET' : 'DROP'} NOT NULL`);
  const fallback = defaultSql(prop(object, 'defaultValue'));
  statements.push(`ALTER TABLE ${t} ALTER COLUMN ${c} ${fallback ? `SET DEFAULT ${fallback}` : 'DROP DEFAULT'}`);
  return statements;
}

function newTableName(expr: ts.Expression | undefined): string {
  const object = objectOf(expr);
  return requireString(object ? prop(object, 'tableName') : expr, 'the new table name');
}

/** inflection's `underscore`, which Sequelize applies to the index names it generates. */
function underscore(name: string): string {
  return name
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toLowerCase();
}

function indexName(table: string, fields: string[]): string {
  return underscore(`${bareName(table)}_${fields.join('_')}`);
}

/** Field names of an index: strings, or `{ name | attribute }` objects. */
function fieldNames(expr: ts.Expression | undefined): string[] {
  const items = arrayOf(expr) ?? unreadable('the index fields are not an array literal');
  return items.map((item) => {
    const object = objectOf(item);
    return requireString(object ? (prop(object, 'name') ?? prop(object, 'attribute')) : item, 'an index field');
  });
}

/** `addIndex(table, ['a', 'b'], { unique, name, where, using })` or `addIndex(table, { fields, ... })`. */
function addIndex(table: string, second: ts.Expression | undefined, third: ts.Expression | undefined): string {
  const inline = arrayOf(second) ? undefined : objectOf(second);
  const options = inline ?? objectOf(third);
  const fieldsExpr = inline ? prop(inline, 'fields') : second;
  const items = arrayOf(fieldsExpr) ?? unreadable('the index fields are not an array literal');
  const keys = items.map((item) => {
    const object = objectOf(item);
    const call = memberCall(item);
    if (call?.name === 'fn')
      return `${requireString(call.args[0], 'Sequelize.fn')}(${call.args.slice(1).map(columnArgument).join(', ')})`;
    const name = requireString(object ? (prop(object, 'name') ?? prop(object, 'attribute')) : item, 'an index field');
    const descending = stringOf(prop(object, 'order'))?.toUpperCase() === 'DESC';
    return `${ident(name)}${descending ? ' DESC' : ''}`;
  });
  const unique =
    booleanOf(prop(options, 'unique')) === true || stringOf(prop(options, 'type'))?.toUpperCase() === 'UNIQUE';
  const name =
    stringOf(prop(options, 'name')) ??
    indexName(
      table,
      items.map((item) => stringOf(item) ?? stringOf(prop(objectOf(item), 'name')) ?? 'expr'),
    );
  const method = stringOf(prop(options, 'using')) ?? stringOf(prop(options, 'indexType'));
  const where = prop(options, 'where');
  return (
    `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${ident(name)} ON ${tableIdent(table)}${method ? ` USING ${method}` : ''} ` +
    `(${keys.join(', ')})${where ? ` WHERE ${whereSql(where)}` : ''}`
  );
}

function columnArgument(expr: ts.Expression): string {
  const call = memberCall(expr);
  if (call?.name === 'col') return ident(requireString(call.args[0], 'Sequelize.col'));
  return sqlLiteral(expr) ?? unreadable('a Sequelize.fn argument');
}

/** A where object of literals: `{ deleted_at: null, status: 'active' }` → `"deleted_at" IS NULL AND "status" = 'active'`. */
function whereSql(expr: ts.Expression): string {
  const object = objectOf(expr) ?? unreadable('the index where clause is not an object literal');
  return entriesOf(object, 'the where clause')
    .map(([name, value]) => {
      const literal =
        sqlLiteral(value) ?? unreadable('the where clause uses operators (Op.*), which the model does not read');
      return literal === 'NULL' ? `${ident(name)} IS NULL` : `${ident(name)} = ${literal}`;
    })
    .join(' AND ');
}

/**
 * `addConstraint(table, { type, fields, name, references, where, deferrable })` (v6) or
 * `addConstraint(table, fields, { type, ... })` (v4/v5). Default names follow Sequelize's query generator.
 */
function addConstraint(table: string, second: ts.Expression | undefined, third: ts.Expression | undefined): string {
  const options =
    (arrayOf(second) ? objectOf(third) : objectOf(second)) ??
    unreadable('the constraint options are not an object literal');
  const fields = stringsOf(arrayOf(second) ? second : prop(options, 'fields'), 'the constraint fields');
  const type = requireString(prop(options, 'type'), 'the constraint type').toLowerCase();
  const columns = fields.map(ident).join(', ');
  const base = `${bareName(table)}_${fields.join('_')}`;
  let definition: string;
  let name = stringOf(prop(options, 'name'));
  switch (type) {
    case 'unique':
      name ??= `${base}_uk`;
      definition = `UNIQUE (${columns})`;
      break;
    case 'primary key':
      name ??= `${base}_pk`;
      definition = `PRIMARY KEY (${columns})`;
      break;
    case 'foreign key': {
      const references =
        objectOf(prop(options, 'references')) ?? unreadable('the references are not an object literal');
      const target =
        stringOf(prop(references, 'table')) ?? stringOf(prop(objectOf(prop(references, 'table')), 'tableName')) ?? '?';
      name ??= `${base}_${target}_fk`;
      definition = `FOREIGN KEY (${columns}) ${referencesSql(references, 'table', 'field', options)}`;
      break;
    }
    case 'check':
      name ??= `${base}_ck`;
      definition = `CHECK (${whereSql(prop(options, 'where') ?? unreadable('the check has no where'))})`;
      break;
    default:
      return unreadable(`constraint type ${type} is not modelled`);
  }
  return `ALTER TABLE ${tableIdent(table)} ADD CONSTRAINT ${ident(name)} ${definition}`;
}
