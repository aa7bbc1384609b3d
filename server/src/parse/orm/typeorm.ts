import * as crypto from 'crypto';
import * as ts from 'typescript';
import type { SchemaCall } from '../host-types';
import {
  arrayOf,
  bareName,
  booleanOf,
  constantSql,
  ident,
  numberOf,
  objectOf,
  prop,
  requireString,
  stringOf,
  stringsOf,
  tableIdent,
  unreadable,
} from './literals';

/**
 * TypeORM's QueryRunner schema API (`queryRunner.createTable(new Table({...}))`, `createIndex(t, new
 * TableIndex({...}))`), as the SQL its PostgreSQL driver sends, with the hashed names its default naming
 * strategy gives unnamed keys and indexes (`PK_...`, `IDX_...`, `UQ_...`, `FK_...`).
 */
export function typeormStatements(call: SchemaCall, table: string): string[] {
  const args = (call.node as ts.CallExpression).arguments;
  const t = tableIdent(table);
  switch (call.method) {
    case 'createTable':
      return createTable(table, objectOf(args[0]) ?? unreadable('the table is not an object literal'));
    case 'dropTable':
      return [`DROP TABLE IF EXISTS ${t}`];
    case 'renameTable':
      return [`ALTER TABLE ${t} RENAME TO ${ident(bareName(qualified(requireString(args[1], 'the new table name'))))}`];
    case 'addColumn':
      return [`ALTER TABLE ${t} ADD COLUMN ${column(table, args[1]).sql}`];
    case 'addColumns':
      return (arrayOf(args[1]) ?? unreadable('the columns are not an array literal')).map(
        (c) => `ALTER TABLE ${t} ADD COLUMN ${column(table, c).sql}`,
      );
    case 'dropColumn':
      return [`ALTER TABLE ${t} DROP COLUMN ${ident(nameOf(args[1], 'the column'))}`];
    case 'dropColumns':
      return (arrayOf(args[1]) ?? unreadable('the columns are not an array literal')).map(
        (c) => `ALTER TABLE ${t} DROP COLUMN ${ident(nameOf(c, 'the column'))}`,
      );
    case 'renameColumn':
      return [
        `ALTER TABLE ${t} RENAME COLUMN ${ident(nameOf(args[1], 'the column'))} TO ${ident(nameOf(args[2], 'the new name'))}`,
      ];
    case 'createIndex':
      return [index(table, args[1])];
    case 'dropIndex':
      return [`DROP INDEX IF EXISTS ${ident(table.split('.')[0])}.${ident(nameOf(args[1], 'the index'))}`];
    case 'createPrimaryKey': {
      const columns = stringsOf(args[1], 'the primary key columns');
      return [
        `ALTER TABLE ${t} ADD CONSTRAINT ${ident(stringOf(args[2]) ?? hashedName('PK_', table, columns, 27))} PRIMARY KEY (${columns.map(ident).join(', ')})`,
      ];
    }
    case 'createUniqueConstraint':
      return [unique(table, args[1])];
    case 'createForeignKey':
      return [foreignKey(table, args[1])];
    case 'dropForeignKey':
    case 'dropUniqueConstraint':
    case 'dropCheckConstraint':
      return [`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${ident(nameOf(args[1], 'the constraint'))}`];
    default:
      return unreadable(`queryRunner.${call.method} is not modelled`);
  }
}

function qualified(name: string): string {
  return name.includes('.') ? name : `public.${name}`;
}

/** A name given as a string or as the `name` of a TypeORM object (`new TableColumn({ name })`). */
function nameOf(expr: ts.Expression | undefined, what: string): string {
  const object = objectOf(expr);
  return requireString(object ? prop(object, 'name') : expr, `${what} name`);
}

/** DefaultNamingStrategy: a prefix and the first characters of sha1(`table_columns`), columns sorted. */
function hashedName(prefix: string, table: string, columns: string[], length: number, where?: string): string {
  const key = `${bareName(table).replace('.', '_')}_${[...columns].sort().join('_')}${where ? `_${where}` : ''}`;
  return prefix + crypto.createHash('sha1').update(key).digest('hex').slice(0, length);
}

function createTable(table: string, spec: ts.ObjectLiteralExpression): string[] {
  const columns = (arrayOf(prop(spec, 'columns')) ?? []).map((c) => column(table, c));
  const primary = columns.filter((c) => c.primary).map((c) => c.name);
  const definitions = columns.map((c) => c.sql);
  if (primary.length > 0)
    definitions.push(
      `CONSTRAINT ${ident(hashedName('PK_', table, primary, 27))} PRIMARY KEY (${primary.map(ident).join(', ')})`,
    );
  const statements = [
    `CREATE TABLE ${booleanOf(prop(spec, 'ifNotExists')) ? 'IF NOT EXISTS ' : ''}${tableIdent(table)} (${definitions.join(', ')})`,
  ];
  for (const c of columns.filter((c) => c.unique)) statements.push(unique(table, undefined, [c.name]));
  for (const i of arrayOf(prop(spec, 'indices')) ?? []) statements.push(index(table, i));
  for (const u of arrayOf(prop(spec, 'uniques')) ?? []) statements.push(unique(table, u));
  for (const f of arrayOf(prop(spec, 'foreignKeys')) ?? []) statements.push(foreignKey(table, f));
  return statements;
}

interface ColumnSql {
  name: string;
  sql: string;
  primary: boolean;
  unique: boolean;
}

/** `{ name, type, length, precision, scale, isNullable, isPrimary, isGenerated, generationStrategy, default, isUnique, isArray }`. */
function column(table: string, expr: ts.Expression | undefined): ColumnSql {
  const spec = objectOf(expr) ?? unreadable('a column is not an object literal');
  const name = requireString(prop(spec, 'name'), 'a column name');
  let type = requireString(prop(spec, 'type'), `the type of ${name}`);
  const length = stringOf(prop(spec, 'length')) ?? numberOf(prop(spec, 'length'));
  const precision = numberOf(prop(spec, 'precision'));
  const scale = numberOf(prop(spec, 'scale'));
  if (length !== undefined && length !== '') type += `(${length})`;
  else if (precision !== undefined) type += `(${precision}${scale !== undefined ? `,${scale}` : ''})`;
  if (type === 'enum') type = ident(`${bareName(table)}_${name}_enum`);
  if (booleanOf(prop(spec, 'isArray'))) type += '[]';
  const generation = booleanOf(prop(spec, 'isGenerated'))
    ? (stringOf(prop(spec, 'generationStrategy')) ?? 'increment')
    : undefined;
  const parts = [ident(name)];
  if (generation === 'increment') parts.push(/big/i.test(type) ? 'BIGSERIAL' : 'SERIAL');
  else parts.push(type);
  if (generation === 'identity') parts.push('GENERATED BY DEFAULT AS IDENTITY');
  // TypeORM columns are NOT NULL unless `isNullable: true`.
  if (booleanOf(prop(spec, 'isNullable')) !== true) parts.push('NOT NULL');
  const fallback = generation === 'uuid' ? 'uuid_generate_v4()' : defaultSql(prop(spec, 'default'));
  if (fallback !== undefined) parts.push(`DEFAULT ${fallback}`);
  return {
    name,
    sql: parts.join(' '),
    primary: booleanOf(prop(spec, 'isPrimary')) === true,
    unique: booleanOf(prop(spec, 'isUnique')) === true,
  };
}

/** TypeORM's `default` is SQL text (`"'open'"`, `'now()'`); a constant the file does not spell out is some value. */
function defaultSql(expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const bool = booleanOf(expr);
  return (
    stringOf(expr) ??
    numberOf(expr)?.toString() ??
    (bool === undefined ? undefined : String(bool)) ??
    constantSql(expr) ??
    unreadable('the default is computed by a call of the file')
  );
}

/** `new TableIndex({ name, columnNames, isUnique, where })`. */
function index(table: string, expr: ts.Expression | undefined): string {
  const spec = objectOf(expr) ?? unreadable('the index is not an object literal');
  const columns = stringsOf(prop(spec, 'columnNames'), 'the index columns');
  const where = stringOf(prop(spec, 'where'));
  const name = stringOf(prop(spec, 'name')) ?? hashedName('IDX_', table, columns, 26, where);
  const unique = booleanOf(prop(spec, 'isUnique')) ? 'UNIQUE ' : '';
  return `CREATE ${unique}INDEX ${ident(name)} ON ${tableIdent(table)} (${columns.map(ident).join(', ')})${where ? ` WHERE ${where}` : ''}`;
}

function unique(table: string, expr: ts.Expression | undefined, columnNames?: string[]): string {
  const spec = objectOf(expr);
  const columns = columnNames ?? stringsOf(prop(spec, 'columnNames'), 'the unique columns');
  const name = stringOf(prop(spec, 'name')) ?? hashedName('UQ_', table, columns, 27);
  return `ALTER TABLE ${tableIdent(table)} ADD CONSTRAINT ${ident(name)} UNIQUE (${columns.map(ident).join(', ')})`;
}

/** `new TableForeignKey({ name, columnNames, referencedTableName, referencedColumnNames, onDelete, deferrable })`. */
function foreignKey(table: string, expr: ts.Expression | undefined): string {
  const spec = objectOf(expr) ?? unreadable('the foreign key is not an object literal');
  const columns = stringsOf(prop(spec, 'columnNames'), 'the foreign key columns');
  const target = qualified(requireString(prop(spec, 'referencedTableName'), 'the referenced table'));
  const targetColumns = stringsOf(prop(spec, 'referencedColumnNames'), 'the referenced columns');
  const name = stringOf(prop(spec, 'name')) ?? hashedName('FK_', table, columns, 27);
  const onDelete = stringOf(prop(spec, 'onDelete'));
  const deferrable = stringOf(prop(spec, 'deferrable'));
  return (
    `ALTER TABLE ${tableIdent(table)} ADD CONSTRAINT ${ident(name)} FOREIGN KEY (${columns.map(ident).join(', ')}) ` +
    `REFERENCES ${tableIdent(target)} (${targetColumns.map(ident).join(', ')})` +
    (onDelete ? ` ON DELETE ${onDelete}` : '') +
    (deferrable ? ` DEFERRABLE ${deferrable}` : '')
  );
}
