import { PgNode, nameList, qualifiedName } from '../parse/ast';
import { isComputedName } from '../parse/fragment';
import type { MigrationFile } from '../parse/migration';
import type { Statement } from '../parse/sql';
import type { Span } from '../parse/text';
import { AlterTableCommand, alterTableCommands } from './alter-table';
import { findConstraint } from './constraints';
import { makeFix, matchCase, replaceText } from './fix-edits';
import type { Fix } from './rule';
import { SqlToken, closingParen, fileSpanIn, statementTokens, tokenIndexAt, tokenRange } from './sql-tokens';
import { SqlStatement, sqlStatements } from './statements';

/** Where a column gets its type: a CREATE TABLE column, an ADD COLUMN, or an ALTER COLUMN ... TYPE. */
export type ColumnContext = 'create-table' | 'add-column' | 'alter-type';

export interface ColumnDefinition extends SqlStatement {
  context: ColumnContext;
  /** `schema.table`. */
  table: string;
  column: string;
  /** The ColumnDef's fields (`typeName`, `constraints`, ...). */
  def: PgNode;
  typeName: PgNode;
  /** The CREATE TABLE's table-level constraints (`PRIMARY KEY (id)`, `FOREIGN KEY (a) REFERENCES ...`). */
  tableConstraints: PgNode[];
  /** The ALTER TABLE action, for `add-column` and `alter-type`. */
  command?: AlterTableCommand;
}

const cache = new WeakMap<MigrationFile, ColumnDefinition[]>();

/** Every column definition of the file that gives a column its type, in file order. */
export function columnDefinitions(file: MigrationFile): ColumnDefinition[] {
  let found = cache.get(file);
  if (found) return found;
  found = [];
  for (const statement of sqlStatements(file, 'CreateStmt')) {
    const table = qualifiedName(statement.node.relation);
    if (!table) continue;
    const elements = (statement.node.tableElts as PgNode[] | undefined) ?? [];
    const tableConstraints = elements.filter((e) => e.Constraint).map((e) => e.Constraint);
    for (const element of elements) {
      const def = element.ColumnDef;
      if (def?.typeName) {
        // Fields named, not spread: a file of thousands of columns made the generic copy a third of a lint.
        found.push({
          operation: statement.operation,
          statement: statement.statement,
          node: statement.node,
          context: 'create-table',
          table,
          column: def.colname,
          def,
          typeName: def.typeName,
          tableConstraints,
        });
      }
    }
  }
  for (const command of alterTableCommands(file)) {
    const def = command.cmd.def?.ColumnDef;
    if (!def?.typeName) continue;
    const { operation, statement, node, table } = command;
    const common = { operation, statement, node, table, def, typeName: def.typeName, tableConstraints: [], command };
    if (command.cmd.subtype === 'AT_AddColumn') found.push({ ...common, context: 'add-column', column: def.colname });
    else if (command.cmd.subtype === 'AT_AlterColumnType')
      found.push({ ...common, context: 'alter-type', column: command.cmd.name });
  }
  found.sort((a, b) => a.statement.fileSpan.start - b.statement.fileSpan.start);
  cache.set(file, found);
  return found;
}

/**
 * The name of a built-in type as PostgreSQL's parser normalises it (`integer` → `int4`, `character
 * varying` → `varchar`, `char(n)` → `bpchar`, `timestamp with time zone` → `timestamptz`; `serial` stays
 * `serial`), lowercased; undefined for a type in another schema. `"char"` (quoted) is the one-byte internal
 * type `char`, not `bpchar`.
 */
export function builtinTypeName(typeName: PgNode): string | undefined {
  const names = nameList(typeName.names);
  if (names.length === 0 || names.length > 2) return undefined;
  if (names.length === 2 && names[0] !== 'pg_catalog') return undefined;
  return names[names.length - 1].toLowerCase();
}

/**
 * A type only the running code knows (an ORM column of the project's own `DataTypes.DATETIMESTRING`,
 * parse/orm/computed.ts): whether changing a column to it rewrites the table, or changes the type at all, cannot be
 * told.
 */
export function isComputedType(typeName: PgNode | undefined): boolean {
  return typeName !== undefined && nameList(typeName.names).some(isComputedName);
}

export function isArrayType(typeName: PgNode): boolean {
  return Array.isArray(typeName.arrayBounds) && typeName.arrayBounds.length > 0;
}

/** The type modifiers as written (`varchar(20)` → [20]); a bare `character` has an implicit (1). */
export function explicitTypmods(typeName: PgNode): PgNode[] {
  return ((typeName.typmods as PgNode[] | undefined) ?? []).filter((mod) => (mod.A_Const?.location ?? 0) >= 0);
}

const TWO_WORD_TYPES: Record<string, string[]> = {
  character: ['varying'],
  char: ['varying'],
  nchar: ['varying'],
  double: ['precision'],
  bit: ['varying'],
};
const INTERVAL_FIELDS = new Set(['year', 'month', 'day', 'hour', 'minute', 'second', 'to']);
const ZONED = new Set(['time', 'timestamp']);

/**
 * Where the type is written, without array bounds: `character varying(20)` in `character varying(20)[]`,
 * `timestamp(3) without time zone`, `public.my_type`. Quick fixes replace this span.
 */
export function typeExtent(statement: Statement, typeName: PgNode): Span | undefined {
  const tokens = statementTokens(statement);
  const first = tokenIndexAt(statement, typeName.location);
  if (first < 0) return undefined;
  let last = first;
  if (tokens[last].lower === 'national') last++;
  const base = tokens[last]?.lower;
  if (base && TWO_WORD_TYPES[base]?.includes(tokens[last + 1]?.lower)) last++;
  while (tokens[last + 1]?.text === '.' && tokens[last + 2]) last += 2;
  if (base === 'interval') while (INTERVAL_FIELDS.has(tokens[last + 1]?.lower)) last++;
  if (tokens[last + 1]?.text === '(') {
    const close = closingParen(tokens, last + 1);
    if (close < 0) return undefined;
    last = close;
  }
  if (ZONED.has(base) && isTimeZoneClause(tokens, last + 1)) last += 3;
  return tokenRange(tokens, first, last);
}

function isTimeZoneClause(tokens: readonly SqlToken[], at: number): boolean {
  return (
    (tokens[at]?.lower === 'with' || tokens[at]?.lower === 'without') &&
    tokens[at + 1]?.lower === 'time' &&
    tokens[at + 2]?.lower === 'zone'
  );
}

/**
 * Whether a column holds keys: the table's primary key, a foreign key, an identity or serial column, or a
 * column named `id` / `*_id` / `*Id`. Key columns are where a 32-bit integer runs out (2,147,483,647 ids)
 * and where widening later means rewriting the table and every referencing table.
 */
export function isKeyColumn(column: ColumnDefinition): boolean {
  if (/^id$|_id$|[a-z0-9]Id$/.test(column.column)) return true;
  if (findConstraint(column.def, 'CONSTR_PRIMARY', 'CONSTR_FOREIGN', 'CONSTR_IDENTITY')) return true;
  const type = builtinTypeName(column.typeName) ?? '';
  if (type.includes('serial')) return true;
  return column.tableConstraints.some(
    (c) =>
      (c.contype === 'CONSTR_PRIMARY' && nameList(c.keys).includes(column.column)) ||
      (c.contype === 'CONSTR_FOREIGN' && nameList(c.fk_attrs).includes(column.column)),
  );
}

/** The type as written in the file, without array bounds (`INTEGER`, `character varying(20)`). */
export function writtenType(column: ColumnDefinition): string | undefined {
  const extent = typeExtent(column.statement, column.typeName);
  return extent && column.statement.text.slice(extent.start, extent.end);
}

/** A fix that writes `replacement` (in the original's letter case) where the column's type is written. */
export function replaceTypeFix(
  column: ColumnDefinition,
  replacement: string,
  title: string,
  safe: boolean,
): Fix | undefined {
  const extent = typeExtent(column.statement, column.typeName);
  const written = writtenType(column);
  if (!extent || written === undefined) return undefined;
  return makeFix(title, [replaceText(column.statement, extent, matchCase(written, replacement))], safe);
}

/** The file span where the column's type is written (array bounds included), or the column's statement. */
export function typeFileSpan(column: ColumnDefinition): Span {
  const extent = typeExtent(column.statement, column.typeName);
  if (!extent) return column.statement.fileSpan;
  const tokens = statementTokens(column.statement);
  let end = extent.end;
  // `text[]`, `int[3][3]`, `integer ARRAY[4]`: the finding covers the bounds too.
  for (let i = tokens.findIndex((t) => t.start >= extent.end); i >= 0 && i < tokens.length; i++) {
    if (!['[', ']', 'array'].includes(tokens[i].lower) && !/^\d+$/.test(tokens[i].text)) break;
    end = tokens[i].end;
  }
  return fileSpanIn(column.statement, { start: extent.start, end });
}

/**
 * Whether changing a column from `oldType` (as the catalog prints it: `character varying(20)`, `text`,
 * `numeric(10,2)`) to the type `column` gives it needs no table rewrite: the binary-compatible widenings
 * PostgreSQL applies as a catalog change (a longer or unlimited varchar, varchar to text and back to
 * unlimited varchar, a numeric with more precision and the same scale). Anything else, or a USING clause,
 * may rewrite.
 */
export function isBinaryCompatibleWidening(oldType: string, column: ColumnDefinition): boolean {
  if (column.def.raw_default) return false;
  const type = builtinTypeName(column.typeName);
  const mods = explicitTypmods(column.typeName).map((mod) => Number(mod.A_Const?.ival?.ival ?? 0));
  if (isArrayType(column.typeName) !== oldType.endsWith('[]')) return false;
  const old = /^(character varying|text|numeric)(?:\((\d+)(?:,(\d+))?\))?$/.exec(
    oldType.replace(/\[\]$/, '').replace(/\s+/g, ' ').trim(),
  );
  if (!old || !type) return false;
  const [, oldName, oldLength, oldScale] = old;
  if (type === 'text' || (type === 'varchar' && mods.length === 0)) return oldName !== 'numeric';
  if (type === 'varchar')
    return oldName === 'character varying' && oldLength !== undefined && mods[0] >= Number(oldLength);
  if (type === 'numeric' && oldName === 'numeric') {
    if (mods.length === 0) return true;
    return oldLength !== undefined && mods[0] >= Number(oldLength) && (mods[1] ?? 0) === Number(oldScale ?? 0);
  }
  return false;
}
