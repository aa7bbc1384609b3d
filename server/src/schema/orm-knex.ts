import * as ts from 'typescript';
import type { SchemaCall } from '../parse/host-types';
import { functionOf, methodAccess, unwrap } from '../parse/host-syntax';
import {
  bareName,
  booleanOf,
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
 * knex's schema builder (`knex.schema.createTable('t', (table) => { ... })`), as the SQL its PostgreSQL client
 * sends: columns from the builder calls in the callback, and the separate statements knex issues afterwards for
 * `.index()`, `.unique()`, `.primary()` and `.foreign()`, with knex's generated names (`t_a_b_index`).
 */
export function knexStatements(call: SchemaCall, table: string): string[] {
  const args = (call.node as ts.CallExpression).arguments;
  switch (call.method) {
    case 'createTable':
    case 'createTableIfNotExists':
      return tableBuilder(table, args[1], true);
    case 'alterTable':
    case 'table':
      return tableBuilder(table, args[1], false);
    case 'dropTable':
    case 'dropTableIfExists':
      return [`DROP TABLE IF EXISTS ${tableIdent(table)}`];
    case 'renameTable':
      return [`ALTER TABLE ${tableIdent(table)} RENAME TO ${ident(requireString(args[1], 'the new table name'))}`];
    default:
      return unreadable(`knex.schema.${call.method} is not modelled`);
  }
}

/** One link of `table.string('name', 100).notNullable().defaultTo('x')`: its method and arguments. */
interface Link {
  name: string;
  args: readonly ts.Expression[];
}

/** The chains of calls made on the callback's table builder, in source order. */
function builderChains(callback: ts.Expression | undefined, source: ts.SourceFile): Link[][] {
  const fn = functionOf(callback, source) ?? unreadable('the table callback is not a function');
  const param = fn.parameters[0]?.name;
  if (!param || !ts.isIdentifier(param)) return [];
  const chains: Link[][] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && isOutermost(node)) {
      const links = chainLinks(node, param.text);
      if (links) {
        chains.push(links);
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return chains;
}

function isOutermost(call: ts.CallExpression): boolean {
  let child: ts.Node = call;
  while (ts.isParenthesizedExpression(child.parent)) child = child.parent;
  const parent = child.parent;
  return !(ts.isPropertyAccessExpression(parent) && parent.expression === child);
}

/** `t.a(1).b()` rooted at the identifier `root` → [{a, [1]}, {b, []}]; undefined for other chains. */
function chainLinks(call: ts.CallExpression, root: string): Link[] | undefined {
  const links: Link[] = [];
  let current: ts.Expression = call;
  for (;;) {
    current = unwrap(current);
    if (!ts.isCallExpression(current)) break;
    const access = methodAccess(current);
    if (!access) return undefined;
    links.unshift({ name: access.name.text, args: current.arguments });
    current = access.expression;
  }
  return ts.isIdentifier(current) && current.text === root ? links : undefined;
}

/** knex's name for an index or constraint it creates: `${table}_${columns}_${type}`, lowercased. */
function knexName(table: string, columns: string[], type: string): string {
  return `${bareName(table).replace(/[.-]/g, '_')}_${columns.join('_')}_${type}`.toLowerCase();
}

const COLUMN_TYPES: Record<string, (args: readonly ts.Expression[]) => string> = {
  increments: () => 'SERIAL PRIMARY KEY',
  bigIncrements: () => 'BIGSERIAL PRIMARY KEY',
  integer: () => 'INTEGER',
  bigInteger: () => 'BIGINT',
  bigint: () => 'BIGINT',
  tinyint: () => 'SMALLINT',
  smallint: () => 'SMALLINT',
  mediumint: () => 'INTEGER',
  text: () => 'TEXT',
  string: (a) => `VARCHAR(${numberOf(a[1]) ?? 255})`,
  float: () => 'REAL',
  double: () => 'DOUBLE PRECISION',
  decimal: (a) => (a[1] && resolvedNull(a[1]) ? 'DECIMAL' : `DECIMAL(${numberOf(a[1]) ?? 8}, ${numberOf(a[2]) ?? 2})`),
  boolean: () => 'BOOLEAN',
  date: () => 'DATE',
  datetime: (a) => timestampType(a[1]),
  timestamp: (a) => timestampType(a[1]),
  time: () => 'TIME',
  binary: () => 'BYTEA',
  json: () => 'JSON',
  jsonb: () => 'JSONB',
  uuid: () => 'UUID',
  specificType: (a) => requireString(a[1], 'the specific type'),
  // knex stores an enum as text with a CHECK, unless told to create a native type.
  enu: enumType,
  enum: enumType,
};

function enumType(args: readonly ts.Expression[]): string {
  if (booleanOf(prop(objectOf(args[2]), 'useNative')))
    return ident(requireString(prop(objectOf(args[2]), 'enumName'), 'the enum name'));
  const values = stringsOf(args[1], 'the enum values').map((v) => `'${v.replace(/'/g, "''")}'`);
  return `TEXT CHECK (${ident(requireString(args[0], 'the column name'))} IN (${values.join(', ')}))`;
}

function resolvedNull(expr: ts.Expression): boolean {
  return unwrap(expr).kind === ts.SyntaxKind.NullKeyword;
}

/** `timestamp(name, { useTz, precision })` or the older `timestamp(name, withoutTz)`; knex defaults to timestamptz. */
function timestampType(options: ts.Expression | undefined): string {
  const object = objectOf(options);
  const withoutTz = object ? booleanOf(prop(object, 'useTz')) === false : booleanOf(options) === true;
  const precision = numberOf(prop(object, 'precision'));
  return `TIMESTAMP${precision !== undefined ? `(${precision})` : ''} ${withoutTz ? 'WITHOUT' : 'WITH'} TIME ZONE`;
}

/** A default: literals, `knex.fn.now()`, `knex.raw('...')`. */
function defaultSql(expr: ts.Expression | undefined): string {
  if (!expr) return unreadable('defaultTo() without a value');
  const literal = sqlLiteral(expr);
  if (literal !== undefined) return literal;
  const call = memberCall(expr);
  if (call?.name === 'now') return 'CURRENT_TIMESTAMP';
  if (call?.name === 'raw') return requireString(call.args[0], 'knex.raw');
  return unreadable('the default value is not a literal');
}

function deferrableSql(expr: ts.Expression | undefined): string {
  const mode = stringOf(expr)?.toLowerCase();
  if (mode === 'deferred') return ' DEFERRABLE INITIALLY DEFERRED';
  if (mode === 'immediate') return ' DEFERRABLE INITIALLY IMMEDIATE';
  return '';
}

/** `.references('users.id')` or `.references('id').inTable('users')`, with ON DELETE/UPDATE and deferral. */
function foreignKeySql(links: Link[]): string | undefined {
  const references = links.find((l) => l.name === 'references');
  if (!references) return undefined;
  let target = requireString(references.args[0], 'the referenced column');
  let refTable = stringOf(links.find((l) => l.name === 'inTable')?.args[0]);
  if (!refTable) {
    const dot = target.lastIndexOf('.');
    if (dot < 0) return unreadable('the referenced table is not named');
    refTable = target.slice(0, dot);
    target = target.slice(dot + 1);
  }
  const qualified = refTable.includes('.') ? refTable : `public.${refTable}`;
  const onDelete = stringOf(links.find((l) => l.name === 'onDelete')?.args[0]);
  const onUpdate = stringOf(links.find((l) => l.name === 'onUpdate')?.args[0]);
  return (
    `REFERENCES ${tableIdent(qualified)} (${ident(target)})` +
    (onDelete ? ` ON DELETE ${onDelete.toUpperCase()}` : '') +
    (onUpdate ? ` ON UPDATE ${onUpdate.toUpperCase()}` : '') +
    deferrableSql(links.find((l) => l.name === 'deferrable')?.args[0])
  );
}

/** The index options `index(cols, name, 'gin' | { indexType, predicate })`: a predicate is a query builder, not read. */
function indexMethod(options: ts.Expression | undefined): string {
  const object = objectOf(options);
  if (object && prop(object, 'predicate')) unreadable('a partial index predicate built with knex is not read');
  const method = stringOf(options) ?? stringOf(prop(object, 'indexType'));
  return method ? ` USING ${method.toLowerCase()}` : '';
}

function tableBuilder(table: string, callback: ts.Expression | undefined, creating: boolean): string[] {
  const source = (callback ?? unreadable('no table callback')).getSourceFile();
  const t = tableIdent(table);
  const columns: string[] = [];
  const after: string[] = [];
  for (const links of builderChains(callback, source)) {
    const [head, ...modifiers] = links;
    const has = (name: string) => modifiers.find((m) => m.name === name);
    if (COLUMN_TYPES[head.name]) {
      const name =
        head.name === 'increments' || head.name === 'bigIncrements'
          ? (stringOf(head.args[0]) ?? 'id')
          : requireString(head.args[0], 'the column name');
      const type = COLUMN_TYPES[head.name](head.args);
      if (has('alter')) {
        after.push(...alterColumn(t, name, type, modifiers));
        continue;
      }
      const parts = [ident(name), type];
      if (has('notNullable')) parts.push('NOT NULL');
      const fallback = has('defaultTo');
      if (fallback) parts.push(`DEFAULT ${defaultSql(fallback.args[0])}`);
      columns.push(parts.join(' '));
      if (has('primary'))
        after.push(
          `ALTER TABLE ${t} ADD CONSTRAINT ${ident(stringOf(has('primary')!.args[0]) ?? `${bareName(table)}_pkey`)} PRIMARY KEY (${ident(name)})`,
        );
      if (has('unique')) after.push(uniqueSql(table, [name], has('unique')!.args[0]));
      if (has('index'))
        after.push(
          `CREATE INDEX ${ident(stringOf(has('index')!.args[0]) ?? knexName(table, [name], 'index'))} ON ${t}${indexMethod(has('index')!.args[1])} (${ident(name)})`,
        );
      const references = foreignKeySql(modifiers);
      if (references)
        after.push(
          `ALTER TABLE ${t} ADD CONSTRAINT ${ident(knexName(table, [name], 'foreign'))} FOREIGN KEY (${ident(name)}) ${references}`,
        );
      continue;
    }
    after.push(...tableCommand(table, head, modifiers, columns));
  }
  const statements = creating
    ? [`CREATE TABLE ${t} (${columns.join(', ')})`]
    : columns.map((c) => `ALTER TABLE ${t} ADD COLUMN ${c}`);
  return [...statements, ...after];
}

/** `.alter()`: knex re-states the column: its type, nullability and default as written (absent means none). */
function alterColumn(t: string, name: string, type: string, modifiers: Link[]): string[] {
  const c = ident(name);
  const fallback = modifiers.find((m) => m.name === 'defaultTo');
  return [
    `ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${type}`,
    `ALTER TABLE ${t} ALTER COLUMN ${c} ${fallback ? `SET DEFAULT ${defaultSql(fallback.args[0])}` : 'DROP DEFAULT'}`,
    `ALTER TABLE ${t} ALTER COLUMN ${c} ${modifiers.some((m) => m.name === 'notNullable') ? 'SET' : 'DROP'} NOT NULL`,
  ];
}

function uniqueSql(table: string, columns: string[], options: ts.Expression | undefined): string {
  const object = objectOf(options);
  const name = stringOf(options) ?? stringOf(prop(object, 'indexName')) ?? knexName(table, columns, 'unique');
  const list = columns.map(ident).join(', ');
  if (booleanOf(prop(object, 'useConstraint')) === false)
    return `CREATE UNIQUE INDEX ${ident(name)} ON ${tableIdent(table)} (${list})`;
  return `ALTER TABLE ${tableIdent(table)} ADD CONSTRAINT ${ident(name)} UNIQUE (${list})${deferrableSql(prop(object, 'deferrable'))}`;
}

/** Table-level builder calls: indexes, constraints, drops and renames. */
function tableCommand(table: string, head: Link, modifiers: Link[], columns: string[]): string[] {
  const t = tableIdent(table);
  const schema = ident(table.split('.')[0]);
  const columnList = (expr: ts.Expression | undefined) => stringsOf(expr, 'the columns');
  switch (head.name) {
    case 'index': {
      const cols = columnList(head.args[0]);
      return [
        `CREATE INDEX ${ident(stringOf(head.args[1]) ?? knexName(table, cols, 'index'))} ON ${t}${indexMethod(head.args[2])} (${cols.map(ident).join(', ')})`,
      ];
    }
    case 'unique':
      return [uniqueSql(table, columnList(head.args[0]), head.args[1])];
    case 'primary': {
      const cols = columnList(head.args[0]);
      const name =
        stringOf(head.args[1]) ?? stringOf(prop(objectOf(head.args[1]), 'constraintName')) ?? `${bareName(table)}_pkey`;
      return [`ALTER TABLE ${t} ADD CONSTRAINT ${ident(name)} PRIMARY KEY (${cols.map(ident).join(', ')})`];
    }
    case 'foreign': {
      const cols = columnList(head.args[0]);
      const name = stringOf(head.args[1]) ?? knexName(table, cols, 'foreign');
      const references = foreignKeySql(modifiers) ?? unreadable('foreign() without references()');
      return [
        `ALTER TABLE ${t} ADD CONSTRAINT ${ident(name)} FOREIGN KEY (${cols.map(ident).join(', ')}) ${references}`,
      ];
    }
    case 'timestamps': {
      // `timestamp` and `datetime` are both timestamptz in PostgreSQL, whichever the first argument picks.
      const suffix = booleanOf(head.args[1]) === true ? ' NOT NULL DEFAULT CURRENT_TIMESTAMP' : '';
      columns.push(`"created_at" TIMESTAMP WITH TIME ZONE${suffix}`, `"updated_at" TIMESTAMP WITH TIME ZONE${suffix}`);
      return [];
    }
    case 'dropColumn':
    case 'dropColumns':
      return head.args
        .flatMap((a) => stringsOf(a, 'the column'))
        .map((c) => `ALTER TABLE ${t} DROP COLUMN ${ident(c)}`);
    case 'renameColumn':
      return [
        `ALTER TABLE ${t} RENAME COLUMN ${ident(requireString(head.args[0], 'the column'))} TO ${ident(requireString(head.args[1], 'the new name'))}`,
      ];
    case 'dropIndex':
      return [
        `DROP INDEX IF EXISTS ${schema}.${ident(stringOf(head.args[1]) ?? knexName(table, columnList(head.args[0]), 'index'))}`,
      ];
    case 'dropUnique':
      return [
        `ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${ident(stringOf(head.args[1]) ?? knexName(table, columnList(head.args[0]), 'unique'))}`,
      ];
    case 'dropForeign':
      return [
        `ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${ident(stringOf(head.args[1]) ?? knexName(table, columnList(head.args[0]), 'foreign'))}`,
      ];
    case 'dropPrimary':
      return [
        `ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${ident(stringOf(head.args[0]) ?? `${bareName(table)}_pkey`)}`,
      ];
    case 'dropTimestamps':
      return [`ALTER TABLE ${t} DROP COLUMN "created_at"`, `ALTER TABLE ${t} DROP COLUMN "updated_at"`];
    case 'setNullable':
      return [`ALTER TABLE ${t} ALTER COLUMN ${ident(requireString(head.args[0], 'the column'))} DROP NOT NULL`];
    case 'dropNullable':
      return [`ALTER TABLE ${t} ALTER COLUMN ${ident(requireString(head.args[0], 'the column'))} SET NOT NULL`];
    case 'comment':
    case 'engine':
    case 'charset':
    case 'collate':
    case 'inherits':
      return [];
    default:
      return unreadable(`table.${head.name}() is not modelled`);
  }
}
