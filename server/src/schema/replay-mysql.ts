import type { MySqlAst } from '../parse/mysql/translate';
import { CatalogBuilder, MutableTable, updateColumn } from './builder';
import type { ColumnInfo, ConstraintInfo, IndexInfo, IndexKey, TableInfo } from './catalog';
import type { SkipReporter } from './replay-sql';

/**
 * Applies one MySQL or MariaDB statement (node-sql-parser's tree) to a catalog, as MySQL would have: tables,
 * columns, indexes and key constraints, which is what the rules that read a MySQL schema need (can an index
 * serve this filter?). The names follow MySQL: the primary key's index is `PRIMARY`, an unnamed index is named
 * after its first column (`a`, then `a_2`), and InnoDB adds an index for a foreign key whose columns no index
 * starts with, named after the constraint. A table named without its database is `public.<table>`, as
 * everywhere in Preflight (parse/mysql/translate.ts). Never throws on user input.
 */
export function applyMySql(builder: CatalogBuilder, ast: MySqlAst, skip: SkipReporter): void {
  switch (ast.type) {
    case 'create':
      if (ast.keyword === 'table') createTable(builder, ast, skip);
      else if (ast.keyword === 'index') createIndex(builder, ast, skip);
      return;
    case 'alter':
      alterTable(builder, ast, skip);
      return;
    case 'drop':
      drop(builder, ast);
      return;
    case 'rename':
      for (const [from, to] of (ast.table as MySqlAst[][] | undefined) ?? [])
        renameTable(builder, tableName(from), tableName({ db: to?.db ?? from?.db, table: to?.table }), skip);
      return;
    default:
      return;
  }
}

function tableName(table: MySqlAst | undefined): string {
  return `${table?.db || 'public'}.${table?.table ?? ''}`;
}

function createTable(builder: CatalogBuilder, ast: MySqlAst, skip: SkipReporter): void {
  if (ast.temporary) return;
  const name = tableName(ast.table?.[0]);
  if (builder.tables.has(name)) {
    if (!ast.if_not_exists) skip(`table ${name} already exists`, name);
    return;
  }
  const table = builder.addTable(name);
  const like = ast.like?.table?.[0];
  if (like) {
    // CREATE TABLE ... LIKE copies the columns and the indexes.
    const source = builder.tables.get(tableName(like));
    if (source) {
      table.columns.push(...source.columns);
      table.indexes.push(...source.indexes);
      table.constraints.push(...source.constraints.filter((c) => c.type !== 'foreign-key'));
    } else {
      table.uncertain = 'it is created LIKE a table the model does not know';
    }
    return;
  }
  if (ast.query_expr) {
    table.uncertain = 'its columns come from a query (CREATE TABLE ... AS SELECT), which the model does not evaluate';
    return;
  }
  const definitions = (ast.create_definitions as MySqlAst[] | undefined) ?? [];
  for (const definition of definitions) if (definition.resource === 'column') addColumn(table, definition);
  for (const definition of definitions) if (definition.resource !== 'column') addKey(table, definition);
}

/** A column with its inline keys (`id INT PRIMARY KEY`, `email VARCHAR(255) UNIQUE`). */
function addColumn(table: MutableTable, definition: MySqlAst): void {
  const name = columnName(definition.column);
  if (!name || table.columns.some((c) => c.name === name)) return;
  table.columns.push(columnInfo(name, definition));
  if (definition.primary_key) addIndex(table, { kind: 'primary', columns: [name] });
  else if (definition.unique) addIndex(table, { kind: 'unique', columns: [name] });
}

function columnInfo(name: string, definition: MySqlAst): ColumnInfo {
  const type = definition.definition ?? {};
  const length =
    type.length !== undefined ? `(${[type.length, type.scale].filter((p) => p !== undefined).join(',')})` : '';
  const suffix = Array.isArray(type.suffix) && type.suffix.length > 0 ? ` ${type.suffix.join(' ').toLowerCase()}` : '';
  return {
    name,
    type: `${String(type.dataType ?? '').toLowerCase()}${length}${suffix}`,
    nullable: definition.nullable?.type !== 'not null' && !definition.primary_key,
  };
}

/** A table element or ALTER TABLE ... ADD that is not a column: an index, a key or a foreign key. */
function addKey(table: MutableTable, definition: MySqlAst): void {
  const columns = keyColumns(table, definition.definition);
  if (columns.length === 0) return;
  const type = String(definition.constraint_type ?? definition.keyword ?? '').toLowerCase();
  const given: string | undefined = definition.index ?? definition.constraint ?? undefined;
  if (type.startsWith('primary')) addIndex(table, { kind: 'primary', columns });
  else if (type.startsWith('unique')) addIndex(table, { kind: 'unique', columns, name: given });
  else if (type.startsWith('foreign')) addForeignKey(table, columns, definition, given);
  else
    addIndex(table, { kind: /fulltext|spatial/.test(type) ? type.replace(/ .*/, '') : 'index', columns, name: given });
}

/**
 * InnoDB needs an index whose first columns are the foreign key's: it uses an existing one, or creates one
 * named after the constraint (or, unnamed, after the first column).
 */
function addForeignKey(table: MutableTable, columns: string[], definition: MySqlAst, name: string | undefined): void {
  const reference = definition.reference_definition ?? {};
  const constraintName =
    name ??
    `${table.name.slice(table.name.indexOf('.') + 1)}_ibfk_${table.constraints.filter((c) => c.type === 'foreign-key').length + 1}`;
  table.constraints.push({
    name: constraintName,
    type: 'foreign-key',
    columns,
    references: { table: tableName(reference.table?.[0]), columns: keyColumns(undefined, reference.definition) },
    deferrable: false,
    initiallyDeferred: false,
  });
  if (!hasIndexOn(table, columns)) addIndex(table, { kind: 'index', columns, name: name ?? columns[0] });
}

function hasIndexOn(table: TableInfo, columns: readonly string[]): boolean {
  return table.indexes.some((index) => columns.every((column, k) => keyName(index.keys[k]) === column));
}

/**
 * The indexes InnoDB adds for the foreign keys of `name` that no index serves, where the schema came from
 * somewhere that does not say so (an ORM call's SQL, modelled as PostgreSQL's).
 */
export function addForeignKeyIndexes(builder: CatalogBuilder, name: string): void {
  const missing = builder.tables
    .get(name)
    ?.constraints.filter((c) => c.type === 'foreign-key' && !hasIndexOn(builder.tables.get(name)!, c.columns));
  if (!missing?.length) return;
  const table = builder.table(name)!;
  for (const constraint of missing)
    addIndex(table, { kind: 'index', columns: [...constraint.columns], name: constraint.name });
}

interface KeySpec {
  kind: 'primary' | 'unique' | 'index' | 'fulltext' | 'spatial' | string;
  columns: string[];
  name?: string;
}

function addIndex(table: MutableTable, spec: KeySpec): void {
  const primary = spec.kind === 'primary';
  const name = primary ? 'PRIMARY' : (spec.name ?? freeIndexName(table, spec.columns[0]));
  if (table.indexes.some((index) => index.name === name)) return;
  const index: IndexInfo = {
    name,
    // FULLTEXT and SPATIAL indexes answer MATCH ... AGAINST and geometry tests, never a comparison.
    method: spec.kind === 'fulltext' || spec.kind === 'spatial' ? spec.kind : 'btree',
    unique: primary || spec.kind === 'unique',
    primary,
    keys: spec.columns.map((column): IndexKey => ({ column })),
    include: [],
    constraint: primary || spec.kind === 'unique' ? name : undefined,
  };
  table.indexes.push(index);
  if (primary || spec.kind === 'unique') {
    const constraint: ConstraintInfo = {
      name,
      type: primary ? 'primary-key' : 'unique',
      columns: spec.columns,
      deferrable: false,
      initiallyDeferred: false,
    };
    table.constraints.push(constraint);
  }
  if (primary) spec.columns.forEach((column) => updateColumn(table, column, { nullable: false }));
}

/** MySQL names an unnamed index after its first column, adding `_2`, `_3`... when that name is taken. */
function freeIndexName(table: MutableTable, column: string): string {
  let name = column;
  for (let n = 2; table.indexes.some((index) => index.name === name); n++) name = `${column}_${n}`;
  return name;
}

function createIndex(builder: CatalogBuilder, ast: MySqlAst, skip: SkipReporter): void {
  const name = tableName(ast.table);
  const table = builder.table(name);
  if (!table) {
    skip(`CREATE INDEX on ${name}, a table the model does not know`, name);
    return;
  }
  const columns = keyColumns(table, ast.index_columns);
  const kind = String(ast.index_type ?? '').toLowerCase() || 'index';
  addIndex(table, { kind, columns, name: ast.index });
}

function alterTable(builder: CatalogBuilder, ast: MySqlAst, skip: SkipReporter): void {
  const name = tableName(ast.table?.[0]);
  const table = builder.table(name);
  if (!table) {
    skip(`ALTER TABLE of ${name}, a table the model does not know`, name);
    return;
  }
  for (const action of (ast.expr as MySqlAst[] | undefined) ?? []) {
    const problem = alterAction(builder, table, action, skip);
    if (problem) {
      skip(problem, name);
      table.uncertain ??= problem;
    }
  }
}

/** Applies one ALTER TABLE action; returns why it could not be followed. */
function alterAction(
  builder: CatalogBuilder,
  table: MutableTable,
  action: MySqlAst,
  skip: SkipReporter,
): string | undefined {
  const verb = String(action.action ?? '').toLowerCase();
  const resource = String(action.resource ?? '').toLowerCase();
  if (resource === 'column') {
    const column = columnName(action.column);
    const old = columnName(action.old_column) ?? column;
    switch (verb) {
      case 'add':
        addColumn(table, action);
        return undefined;
      case 'drop':
        dropColumn(table, column ?? '');
        return undefined;
      case 'modify':
      case 'change':
        return replaceColumn(table, old ?? '', columnInfo(column ?? '', action));
      case 'rename': {
        const current = table.columns.find((c) => c.name === old);
        return current
          ? replaceColumn(table, old ?? '', { ...current, name: column ?? '' })
          : `column ${old} of ${table.name} is not known`;
      }
    }
  }
  if (verb === 'add' && (resource === 'index' || resource === 'constraint')) {
    addKey(table, resource === 'constraint' ? (action.create_definitions ?? {}) : action);
    return undefined;
  }
  if (verb === 'drop' && (resource === 'index' || resource === 'key')) {
    const keyword = String(action.keyword ?? '').toLowerCase();
    if (keyword === 'foreign key') {
      table.constraints = table.constraints.filter((c) => c.name !== action.key);
      return undefined;
    }
    const index = keyword === 'primary key' ? 'PRIMARY' : String(action.index ?? action.key ?? '');
    table.indexes = table.indexes.filter((i) => i.name !== index);
    table.constraints = table.constraints.filter((c) => c.name !== index);
    return undefined;
  }
  if (verb === 'rename' && resource === 'table') {
    renameTable(builder, table.name, `${table.name.slice(0, table.name.indexOf('.'))}.${action.table}`, skip);
    return undefined;
  }
  // ENGINE=, ALGORITHM=, LOCK=, COMMENT, CHARSET...: nothing the model keeps.
  return undefined;
}

/** Replaces a column, keeping its place, and renames it in the indexes and constraints that use it. */
function replaceColumn(table: MutableTable, name: string, column: ColumnInfo): string | undefined {
  const at = table.columns.findIndex((c) => c.name === name);
  if (at < 0) return `column ${name} of ${table.name} is not known`;
  table.columns[at] = column;
  if (column.name !== name) {
    const rename = (c: string) => (c === name ? column.name : c);
    table.indexes = table.indexes.map((index) => ({
      ...index,
      keys: index.keys.map((k) => ('column' in k ? { ...k, column: rename(k.column) } : k)),
    }));
    table.constraints = table.constraints.map((c) => ({ ...c, columns: c.columns.map(rename) }));
  }
  return undefined;
}

/** MySQL removes a dropped column from every index; an index left without columns is dropped. */
function dropColumn(table: MutableTable, name: string): void {
  table.columns = table.columns.filter((c) => c.name !== name);
  table.indexes = table.indexes
    .map((index) => ({ ...index, keys: index.keys.filter((k) => keyName(k) !== name) }))
    .filter((index) => index.keys.length > 0);
  table.constraints = table.constraints.filter((c) => !c.columns.includes(name));
}

function drop(builder: CatalogBuilder, ast: MySqlAst): void {
  const keyword = String(ast.keyword ?? '').toLowerCase();
  if (keyword === 'table') {
    for (const name of (ast.name as MySqlAst[] | undefined) ?? []) builder.tables.delete(tableName(name));
  } else if (keyword === 'index') {
    const table = builder.table(tableName(ast.table));
    const index = String(ast.name?.column ?? ast.name ?? '');
    if (table) table.indexes = table.indexes.filter((i) => i.name !== index);
  } else if (keyword === 'view') {
    for (const name of (ast.name as MySqlAst[] | undefined) ?? []) builder.views.delete(tableName(name));
  }
}

function renameTable(builder: CatalogBuilder, from: string, to: string, skip: SkipReporter): void {
  const table = builder.tables.get(from);
  if (!table) {
    skip(`RENAME of ${from}, a table the model does not know`, from);
    return;
  }
  builder.tables.delete(from);
  builder.tables.set(to, { ...table, name: to });
}

/** The columns of a key, spelled as `table` spells them (MySQL compares column names without regard to case). */
function keyColumns(table: TableInfo | undefined, parts: MySqlAst[] | undefined): string[] {
  return (parts ?? []).flatMap((part) => {
    const name = keyColumn(part);
    if (name === undefined) return [];
    return [table?.columns.find((c) => c.name.toLowerCase() === name.toLowerCase())?.name ?? name];
  });
}

/** A key part: a column (`a`), or a prefix of one (`b(10)`), which still finds rows by that column. */
function keyColumn(part: MySqlAst): string | undefined {
  if (part?.type === 'column_ref') return columnName(part);
  if (part?.type === 'function') return String(part.name?.name?.[0]?.value ?? '') || undefined;
  return undefined;
}

/** A column's name as written (MySQL compares column names without regard to case; index matching does too). */
function columnName(column: MySqlAst | string | undefined): string | undefined {
  const name =
    typeof column === 'string'
      ? column
      : typeof column?.column === 'string'
        ? column.column
        : column?.column?.expr?.value;
  return typeof name === 'string' ? name : undefined;
}

function keyName(key: IndexKey | undefined): string | undefined {
  return key && 'column' in key ? key.column : undefined;
}
