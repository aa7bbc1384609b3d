import { PgNode, nameList, nodeType, qualifiedName } from '../parse/ast';
import { routineBody } from '../parse/plpgsql';
import type { Statement } from '../parse/sql';
import { CatalogBuilder, MutableTable, updateColumn } from './builder';
import { ColumnInfo, ConstraintInfo, IndexInfo, IndexKey, TableInfo, TriggerEvent, TriggerInfo } from './catalog';
import { SERIAL_TYPES, printExpr, qualify, quoteIdent, typeNameText } from './expression';
import { functionWrites } from './function-body';
import {
  chooseConstraintName,
  chooseRelationName,
  columnsAddition,
  expressionColumnName,
  splitQualified,
} from './names';

/**
 * Applies one parsed SQL statement to a catalog, as PostgreSQL would have. Statements that cannot change what
 * the catalog models (GRANT, COMMENT, SET, DML, CREATE TYPE...) are ignored; statements that could but that
 * the model cannot follow (an ALTER of an unknown table, dynamic SQL in a DO block) are skipped with a reason.
 * Never throws on user input.
 */
export type SkipReporter = (reason: string, table?: string) => void;

export function applySql(builder: CatalogBuilder, statement: Statement, skip: SkipReporter): void {
  const type = statement.type;
  const apply = type ? APPLY[type] : undefined;
  if (apply) {
    apply(statement.node![type!], { builder, skip, statement });
  } else if (type && NOT_FOLLOWED[type]) {
    skip(NOT_FOLLOWED[type]);
  }
}

interface Ctx {
  builder: CatalogBuilder;
  skip: SkipReporter;
  statement: Statement;
}

/** Statements that can change tables or indexes in ways the model does not follow. */
const NOT_FOLLOWED: Record<string, string> = {
  CreateForeignTableStmt: 'foreign tables are not modelled',
  ImportForeignSchemaStmt: 'IMPORT FOREIGN SCHEMA is not modelled',
};

const APPLY: Record<string, (f: PgNode, ctx: Ctx) => void> = {
  CreateSchemaStmt: createSchema,
  CreateStmt: createTable,
  CreateTableAsStmt: createTableAs,
  ViewStmt: (f, { builder }) => {
    const name = qualifiedName(f.view);
    if (name) builder.views.set(name, { name, materialized: false });
  },
  AlterTableStmt: alterTable,
  IndexStmt: (f, ctx) => createIndex(f, ctx),
  DropStmt: drop,
  RenameStmt: rename,
  AlterObjectSchemaStmt: setSchema,
  CreateTrigStmt: createTrigger,
  CreateFunctionStmt: createFunction,
  CreateSeqStmt: (f, { builder }) => {
    const name = qualifiedName(f.sequence);
    if (name && !(f.if_not_exists && builder.sequences.has(name)))
      builder.sequences.set(name, { name, ownedBy: ownedBy(f.options) });
  },
  AlterSeqStmt: (f, { builder }) => {
    const name = qualifiedName(f.sequence);
    const sequence = name ? builder.sequences.get(name) : undefined;
    const owner = (f.options as PgNode[] | undefined)?.some((o) => o.DefElem?.defname === 'owned_by');
    if (sequence && owner) builder.sequences.set(sequence.name, { name: sequence.name, ownedBy: ownedBy(f.options) });
  },
  // The statements a DO block runs are operations of their own (parse/plpgsql.ts); only its dynamic SQL is lost.
  DoStmt: (_f, { statement, skip }) => {
    if (routineBody(statement).dynamicExecutes.length > 0)
      skip('DO block runs dynamic SQL (EXECUTE of a computed string), which the model cannot follow');
  },
};

function createSchema(f: PgNode, { builder, skip }: Ctx): void {
  if (f.schemaname) builder.schemas.add(f.schemaname);
  if (f.schemaElts?.length) skip('objects created inside CREATE SCHEMA are not modelled');
}

// ---------------------------------------------------------------------------------------------------------
// Tables and columns.

function createTable(f: PgNode, ctx: Ctx): void {
  const { builder, skip } = ctx;
  const name = qualifiedName(f.relation);
  if (!name || f.relation.relpersistence === 't') return;
  if (builder.tables.has(name)) {
    if (!f.if_not_exists) skip(`table ${name} already exists`, name);
    return;
  }
  const table = builder.addTable(name);
  if (f.partbound || f.inhRelations?.length) {
    // PARTITION OF / INHERITS: the columns come from the parent.
    const parent = builder.tables.get(qualifiedName(f.inhRelations?.[0]?.RangeVar) ?? '');
    if (parent) table.columns.push(...parent.columns);
    else table.uncertain = 'its parent table is not known';
  }
  const elements = (f.tableElts as PgNode[] | undefined) ?? [];
  for (const element of elements) {
    if (element.ColumnDef) addColumn(table, element.ColumnDef, ctx);
    if (element.TableLikeClause) {
      const source = builder.tables.get(qualifiedName(element.TableLikeClause.relation) ?? '');
      if (source)
        table.columns.push(...source.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })));
      else table.uncertain = 'it is created LIKE a table the model does not know';
    }
  }
  for (const element of elements) {
    if (element.Constraint) addConstraint(table, element.Constraint, ctx);
  }
}

function createTableAs(f: PgNode, { builder }: Ctx): void {
  // libpg-query gives the IntoClause's fields directly under `into`.
  const name = qualifiedName(f.into?.rel);
  if (!name) return;
  if (f.objtype === 'OBJECT_MATVIEW') {
    builder.views.set(name, { name, materialized: true });
  } else if (!builder.tables.has(name)) {
    const table = builder.addTable(name);
    table.uncertain = 'its columns come from a query (CREATE TABLE AS), which the model does not evaluate';
  }
}

/** A column definition with its inline constraints (NOT NULL, DEFAULT, PRIMARY KEY, REFERENCES, ...). */
function addColumn(table: MutableTable, def: PgNode, ctx: Ctx): void {
  const typeNames = nameList(def.typeName?.names);
  const serial = typeNames.length === 1 ? SERIAL_TYPES[typeNames[0]] : undefined;
  const column: ColumnInfo = { name: def.colname, type: serial ?? typeNameText(def.typeName), nullable: true };
  const constraints = (def.constraints as PgNode[] | undefined) ?? [];
  for (const constraint of constraints) {
    const c = constraint.Constraint ?? {};
    if (c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY') column.nullable = false;
    if (c.contype === 'CONSTR_DEFAULT') column.default = printExpr(c.raw_expr);
    if (c.contype === 'CONSTR_IDENTITY') {
      column.identity = c.generated_when === 'a' ? 'always' : 'by default';
      column.nullable = false;
    }
  }
  if (serial || column.identity) {
    // serial and identity columns own a sequence named `table_column_seq`.
    const [schema, relname] = splitQualified(table.name);
    const sequence = chooseRelationName(ctx.builder, schema, relname, def.colname, 'seq');
    ctx.builder.sequences.set(`${schema}.${sequence}`, {
      name: `${schema}.${sequence}`,
      ownedBy: `${table.name}.${def.colname}`,
    });
    if (serial) {
      // As PostgreSQL prints it: the sequence name quoted if it must be, inside the regclass literal.
      column.default = `nextval('${schema === 'public' ? '' : `${quoteIdent(schema)}.`}${quoteIdent(sequence)}')`;
      column.nullable = false;
    }
  }
  table.columns.push(column);
  // Column constraints apply to this column; DEFERRABLE / INITIALLY DEFERRED follow the constraint they modify.
  for (let i = 0; i < constraints.length; i++) {
    const c = constraints[i].Constraint ?? {};
    if (!['CONSTR_PRIMARY', 'CONSTR_UNIQUE', 'CONSTR_FOREIGN', 'CONSTR_CHECK'].includes(c.contype)) continue;
    const attributes = constraints.slice(i + 1).map((next) => next.Constraint?.contype);
    const until = attributes.findIndex((contype) => !String(contype).startsWith('CONSTR_ATTR_'));
    const own = until < 0 ? attributes : attributes.slice(0, until);
    addConstraint(
      table,
      {
        ...c,
        keys: c.contype === 'CONSTR_FOREIGN' ? undefined : [{ String: { sval: def.colname } }],
        fk_attrs: c.contype === 'CONSTR_FOREIGN' ? [{ String: { sval: def.colname } }] : undefined,
        deferrable: c.deferrable || own.includes('CONSTR_ATTR_DEFERRABLE'),
        initdeferred: c.initdeferred || own.includes('CONSTR_ATTR_DEFERRED'),
      },
      ctx,
    );
  }
}

const CONSTRAINT_TYPES: Record<string, ConstraintInfo['type']> = {
  CONSTR_PRIMARY: 'primary-key',
  CONSTR_UNIQUE: 'unique',
  CONSTR_FOREIGN: 'foreign-key',
  CONSTR_CHECK: 'check',
  CONSTR_EXCLUSION: 'exclusion',
};

/** A table constraint; primary keys, unique and exclusion constraints also create their index. */
function addConstraint(table: MutableTable, c: PgNode, ctx: Ctx): void {
  const type = CONSTRAINT_TYPES[c.contype];
  if (!type) return;
  const { builder } = ctx;
  const [schema, relname] = splitQualified(table.name);
  const keyColumns = nameList(c.keys);
  const deferral = { deferrable: Boolean(c.deferrable || c.initdeferred), initiallyDeferred: Boolean(c.initdeferred) };
  if (type === 'foreign-key') {
    const columns = nameList(c.fk_attrs);
    const target = qualifiedName(c.pktable) ?? '';
    // `REFERENCES users` means the referenced table's primary key.
    const targetTable = target === table.name ? table : builder.tables.get(target);
    const targetColumns = c.pk_attrs
      ? nameList(c.pk_attrs)
      : [...(targetTable?.constraints.find((k) => k.type === 'primary-key')?.columns ?? [])];
    table.constraints.push({
      name: c.conname ?? chooseConstraintName(builder, table.name, columnsAddition(columns), 'fkey'),
      type,
      columns,
      references: { table: target, columns: targetColumns },
      ...deferral,
    });
    return;
  }
  if (type === 'check') {
    const columns = checkColumns(c.raw_expr, table);
    table.constraints.push({
      name:
        c.conname ?? chooseConstraintName(builder, table.name, columns.length === 1 ? columns[0] : undefined, 'check'),
      type,
      columns,
      expression: printExpr(c.raw_expr),
      ...deferral,
    });
    return;
  }
  if (type === 'primary-key') {
    for (const column of keyColumns) updateColumn(table, column, { nullable: false });
  }
  if (c.indexname) {
    // ADD CONSTRAINT ... USING INDEX: the index becomes the constraint's, renamed to the constraint's name.
    const index = table.indexes.findIndex((i) => i.name === c.indexname);
    if (index < 0) {
      ctx.skip(`index ${c.indexname} is not known`, table.name);
      return;
    }
    const name = c.conname ?? c.indexname;
    const existing = table.indexes[index];
    table.indexes[index] = { ...existing, name, primary: type === 'primary-key', constraint: name };
    const columns = existing.keys.flatMap((k) => ('column' in k ? [k.column] : []));
    if (type === 'primary-key') columns.forEach((column) => updateColumn(table, column, { nullable: false }));
    table.constraints.push({ name, type, columns, ...deferral });
    return;
  }
  const exclusionKeys = ((c.exclusions as PgNode[] | undefined) ?? []).map((pair) => pair.List?.items?.[0]?.IndexElem);
  const columns =
    type === 'exclusion' ? exclusionKeys.map((e) => e?.name ?? expressionColumnName(e?.expr)) : keyColumns;
  const label = type === 'primary-key' ? 'pkey' : type === 'unique' ? 'key' : 'excl';
  const name =
    c.conname ??
    chooseRelationName(builder, schema, relname, type === 'primary-key' ? undefined : columnsAddition(columns), label);
  table.constraints.push({ name, type, columns, ...deferral });
  table.indexes.push({
    name,
    method: type === 'exclusion' ? (c.access_method ?? 'gist') : 'btree',
    unique: type !== 'exclusion',
    primary: type === 'primary-key',
    keys: type === 'exclusion' ? exclusionKeys.map(indexKey) : columns.map((column) => ({ column })),
    include: nameList(c.including),
    predicate: c.where_clause ? printExpr(c.where_clause) : undefined,
    constraint: name,
  });
}

/** The distinct columns a CHECK expression reads, in table order (PostgreSQL names `t_col_check` after a single one). */
function checkColumns(expr: PgNode | undefined, table: TableInfo): string[] {
  const columns = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const column = (node as PgNode).ColumnRef?.fields;
    if (column) columns.add(column[column.length - 1]?.String?.sval ?? '');
    Object.values(node).forEach(visit);
  };
  visit(expr);
  return table.columns.map((c) => c.name).filter((name) => columns.has(name));
}

// ---------------------------------------------------------------------------------------------------------
// ALTER TABLE.

/** ALTER TABLE subcommands that change nothing the model keeps. */
const ALTER_IGNORED = new Set([
  'AT_ChangeOwner',
  'AT_SetStatistics',
  'AT_SetStorage',
  'AT_SetCompression',
  'AT_ClusterOn',
  'AT_DropCluster',
  'AT_SetLogged',
  'AT_SetUnLogged',
  'AT_EnableRowSecurity',
  'AT_DisableRowSecurity',
  'AT_ForceRowSecurity',
  'AT_NoForceRowSecurity',
  'AT_SetRelOptions',
  'AT_ResetRelOptions',
  'AT_ReplaceRelOptions',
  'AT_SetOptions',
  'AT_ResetOptions',
  'AT_ReplicaIdentity',
  'AT_ValidateConstraint',
  'AT_SetTableSpace',
  'AT_SetAccessMethod',
  'AT_GenericOptions',
  'AT_AttachPartition',
  'AT_DetachPartition',
  'AT_DetachPartitionFinalize',
  'AT_AddInherit',
  'AT_DropInherit',
  'AT_AddOf',
  'AT_DropOf',
  'AT_SetIdentity',
  'AT_EnableRule',
  'AT_DisableRule',
  'AT_EnableAlwaysRule',
  'AT_EnableReplicaRule',
  'AT_SetExpression',
  'AT_DropExpression',
  'AT_CookedColumnDefault',
]);

const TRIGGER_SWITCHES: Record<string, boolean> = {
  AT_EnableTrig: true,
  AT_EnableAlwaysTrig: true,
  AT_EnableReplicaTrig: true,
  AT_DisableTrig: false,
  AT_EnableTrigAll: true,
  AT_DisableTrigAll: false,
  AT_EnableTrigUser: true,
  AT_DisableTrigUser: false,
};

function alterTable(f: PgNode, ctx: Ctx): void {
  if (f.objtype !== 'OBJECT_TABLE') return;
  const name = qualifiedName(f.relation);
  if (!name) return;
  const commands = (f.cmds as PgNode[] | undefined) ?? [];
  if (!ctx.builder.tables.has(name)) {
    // pg_dump says ALTER TABLE for views and sequences too (`ALTER TABLE v OWNER TO x`): nothing to model there.
    const irrelevant = commands.every((c) => ALTER_IGNORED.has(c.AlterTableCmd?.subtype));
    if (!f.missing_ok && !irrelevant && !ctx.builder.views.has(name) && !ctx.builder.sequences.has(name)) {
      ctx.skip(`ALTER TABLE of ${name}, a table the model does not know`, name);
    }
    return;
  }
  for (const command of commands) {
    const cmd = command.AlterTableCmd ?? {};
    const table = ctx.builder.table(name)!;
    if (ALTER_IGNORED.has(cmd.subtype)) continue;
    const problem = alterTableCommand(table, cmd, ctx);
    if (problem) {
      ctx.skip(problem, name);
      table.uncertain ??= problem;
    }
  }
}

/** Applies one ALTER TABLE subcommand; returns why it could not be applied. */
function alterTableCommand(table: MutableTable, cmd: PgNode, ctx: Ctx): string | undefined {
  const column = cmd.name as string | undefined;
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const def = cmd.def?.ColumnDef;
      if (table.columns.some((c) => c.name === def?.colname))
        return cmd.missing_ok ? undefined : `column ${def?.colname} of ${table.name} already exists`;
      addColumn(table, def, ctx);
      return undefined;
    }
    case 'AT_DropColumn':
      return dropColumn(table, column ?? '', ctx.builder) || cmd.missing_ok
        ? undefined
        : `column ${column} of ${table.name} is not known`;
    case 'AT_ColumnDefault':
      return knownColumn(table, column, { default: cmd.def ? printExpr(cmd.def) : undefined });
    case 'AT_SetNotNull':
      return knownColumn(table, column, { nullable: false });
    case 'AT_DropNotNull':
      return knownColumn(table, column, { nullable: true });
    case 'AT_AlterColumnType':
      return knownColumn(table, column, { type: typeNameText(cmd.def?.ColumnDef?.typeName) });
    case 'AT_AddIdentity': {
      const problem = knownColumn(table, column, {
        identity: cmd.def?.Constraint?.generated_when === 'a' ? 'always' : 'by default',
        nullable: false,
      });
      if (!problem) addIdentitySequence(table, column!, cmd.def?.Constraint?.options, ctx.builder);
      return problem;
    }
    case 'AT_DropIdentity':
      return knownColumn(table, column, { identity: undefined });
    case 'AT_AddConstraint':
    case 'AT_AddIndexConstraint':
      addConstraint(table, cmd.def?.Constraint ?? {}, ctx);
      return undefined;
    case 'AT_DropConstraint': {
      const dropped = dropConstraint(table, column ?? '');
      return dropped || cmd.missing_ok ? undefined : `constraint ${column} of ${table.name} is not known`;
    }
    case 'AT_AlterConstraint': {
      const change = cmd.def?.ATAlterConstraint ?? cmd.def?.Constraint ?? {};
      const index = table.constraints.findIndex((c) => c.name === change.conname);
      if (index < 0) return `constraint ${change.conname} of ${table.name} is not known`;
      table.constraints[index] = {
        ...table.constraints[index],
        deferrable: Boolean(change.deferrable),
        initiallyDeferred: Boolean(change.initdeferred),
      };
      return undefined;
    }
    case 'AT_AddIndex':
      return createIndex(cmd.def?.IndexStmt ?? {}, ctx);
    default:
      if (cmd.subtype in TRIGGER_SWITCHES) return switchTriggers(table, cmd.subtype, column);
      return `ALTER TABLE ${String(cmd.subtype).replace(/^AT_/, '')} is not modelled`;
  }
}

function knownColumn(table: MutableTable, column: string | undefined, change: Partial<ColumnInfo>): string | undefined {
  return column && updateColumn(table, column, change) ? undefined : `column ${column} of ${table.name} is not known`;
}

/** `ADD GENERATED ... AS IDENTITY (SEQUENCE NAME s)` (pg_dump's form) owns a sequence like a serial column. */
function addIdentitySequence(
  table: MutableTable,
  column: string,
  options: PgNode[] | undefined,
  builder: CatalogBuilder,
): void {
  const named = options?.find((o) => o.DefElem?.defname === 'sequence_name')?.DefElem?.arg?.List?.items;
  const [schema, relname] = splitQualified(table.name);
  const name = named
    ? qualify(nameList(named))
    : `${schema}.${chooseRelationName(builder, schema, relname, column, 'seq')}`;
  builder.sequences.set(name, { name, ownedBy: `${table.name}.${column}` });
}

/** Dropping a column drops the indexes and constraints that use it, and the sequence it owns. */
function dropColumn(table: MutableTable, column: string, builder: CatalogBuilder): boolean {
  const before = table.columns.length;
  table.columns = table.columns.filter((c) => c.name !== column);
  if (table.columns.length === before) return false;
  const uses = (keys: readonly IndexKey[], include: readonly string[]) =>
    keys.some((k) => 'column' in k && k.column === column) || include.includes(column);
  table.indexes = table.indexes.filter((index) => !uses(index.keys, index.include));
  table.constraints = table.constraints.filter((c) => !c.columns.includes(column));
  for (const [name, sequence] of builder.sequences) {
    if (sequence.ownedBy === `${table.name}.${column}`) builder.sequences.delete(name);
  }
  return true;
}

function dropConstraint(table: MutableTable, name: string): boolean {
  const before = table.constraints.length;
  table.constraints = table.constraints.filter((c) => c.name !== name);
  table.indexes = table.indexes.filter((index) => index.constraint !== name);
  return table.constraints.length < before;
}

function switchTriggers(table: MutableTable, subtype: string, name: string | undefined): string | undefined {
  const enabled = TRIGGER_SWITCHES[subtype];
  const all = subtype.includes('TrigAll') || subtype.includes('TrigUser');
  if (!all && !table.triggers.some((t) => t.name === name)) return `trigger ${name} on ${table.name} is not known`;
  table.triggers = table.triggers.map((t) => (all || t.name === name ? { ...t, enabled } : t));
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Indexes.

function indexKey(elem: PgNode | undefined): IndexKey {
  const descending = elem?.ordering === 'SORTBY_DESC' ? { descending: true } : {};
  if (elem?.name) return { column: elem.name, ...descending };
  // `CREATE INDEX ON t ((a))` is a column, however many parentheses.
  if (nodeType(elem?.expr) === 'ColumnRef')
    return { column: printExpr(elem?.expr).replace(/^"(.*)"$/, '$1'), ...descending };
  return { expression: printExpr(elem?.expr), ...descending };
}

/** CREATE INDEX (and ALTER TABLE ... ADD CONSTRAINT's index); returns why it could not be applied. */
function createIndex(f: PgNode, ctx: Ctx): string | undefined {
  const { builder, skip } = ctx;
  const tableName = qualifiedName(f.relation);
  if (!tableName) return undefined;
  const table = builder.table(tableName);
  if (!table) {
    if (!builder.views.has(tableName)) skip(`CREATE INDEX on ${tableName}, a table the model does not know`, tableName);
    return undefined;
  }
  const [schema, relname] = splitQualified(tableName);
  const params = ((f.indexParams as PgNode[] | undefined) ?? []).map((p) => p.IndexElem);
  const keys = params.map(indexKey);
  // An explicit name is checked against the table's own indexes and the other relations; a clash with another
  // table's index is rare and not worth a scan of every index per statement (pg_dump names them all).
  const qualifiedIndex = `${schema}.${f.idxname}`;
  const taken = () =>
    table.indexes.some((i) => i.name === f.idxname) ||
    builder.tables.has(qualifiedIndex) ||
    builder.views.has(qualifiedIndex) ||
    builder.sequences.has(qualifiedIndex);
  if (f.idxname && taken()) {
    if (!f.if_not_exists) skip(`index ${f.idxname} already exists`, tableName);
    return undefined;
  }
  const addition = columnsAddition(params.map((p) => p?.name ?? p?.indexcolname ?? expressionColumnName(p?.expr)));
  const label = f.primary ? 'pkey' : f.isconstraint ? 'key' : 'idx';
  const name = f.idxname ?? chooseRelationName(builder, schema, relname, f.primary ? undefined : addition, label);
  const index: IndexInfo = {
    name,
    method: f.accessMethod ?? 'btree',
    unique: Boolean(f.unique || f.primary),
    primary: Boolean(f.primary),
    keys,
    include: ((f.indexIncludingParams as PgNode[] | undefined) ?? []).map((p) => p.IndexElem?.name ?? ''),
  };
  if (f.whereClause) index.predicate = printExpr(f.whereClause);
  table.indexes.push(index);
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// DROP, RENAME, SET SCHEMA.

function objectNames(object: PgNode): string[] {
  if (object.List) return nameList(object.List.items);
  if (object.String) return [object.String.sval];
  if (object.ObjectWithArgs) return nameList(object.ObjectWithArgs.objname);
  return [];
}

function drop(f: PgNode, { builder }: Ctx): void {
  for (const object of (f.objects as PgNode[] | undefined) ?? []) {
    const names = objectNames(object);
    switch (f.removeType) {
      case 'OBJECT_TABLE':
        dropTable(builder, qualify(names));
        break;
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
        builder.views.delete(qualify(names));
        break;
      case 'OBJECT_SEQUENCE':
        builder.sequences.delete(qualify(names));
        break;
      case 'OBJECT_FUNCTION':
      case 'OBJECT_PROCEDURE':
      case 'OBJECT_ROUTINE':
        builder.functions.delete(qualify(names));
        break;
      case 'OBJECT_INDEX': {
        const [schema, name] = splitQualified(qualify(names));
        const owner = builder.tableWith(schema, (t) => t.indexes.some((i) => i.name === name));
        if (owner) {
          const table = builder.table(owner.name)!;
          table.indexes = table.indexes.filter((i) => i.name !== name);
        }
        break;
      }
      case 'OBJECT_TRIGGER': {
        const table = builder.table(qualify(names.slice(0, -1)));
        if (table) table.triggers = table.triggers.filter((t) => t.name !== names[names.length - 1]);
        break;
      }
      case 'OBJECT_SCHEMA':
        dropSchema(builder, names[0]);
        break;
    }
  }
}

function dropTable(builder: CatalogBuilder, name: string): void {
  if (!builder.tables.delete(name)) return;
  for (const [sequence, info] of builder.sequences) {
    if (info.ownedBy?.startsWith(`${name}.`)) builder.sequences.delete(sequence);
  }
  // Foreign keys that point at the table go with it (CASCADE drops them; without it the DROP would have failed).
  for (const other of [...builder.tables.values()]) {
    if (other.constraints.some((c) => c.references?.table === name)) {
      const table = builder.table(other.name)!;
      table.constraints = table.constraints.filter((c) => c.references?.table !== name);
    }
  }
}

function dropSchema(builder: CatalogBuilder, schema: string): void {
  builder.schemas.delete(schema);
  const inSchema = (name: string) => name.startsWith(`${schema}.`);
  for (const name of [...builder.tables.keys()].filter(inSchema)) dropTable(builder, name);
  for (const map of [builder.views, builder.sequences, builder.functions] as Map<string, unknown>[]) {
    for (const name of [...map.keys()].filter(inSchema)) map.delete(name);
  }
}

function rename(f: PgNode, ctx: Ctx): void {
  const { builder } = ctx;
  const relation = qualifiedName(f.relation);
  switch (f.renameType) {
    case 'OBJECT_TABLE':
      if (relation) renameTable(builder, relation, `${splitQualified(relation)[0]}.${f.newname}`, ctx);
      return;
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
    case 'OBJECT_SEQUENCE':
      if (relation && f.renameType === 'OBJECT_SEQUENCE') renameEntry(builder.sequences, relation, f.newname);
      else if (relation) renameEntry(builder.views, relation, f.newname);
      return;
    case 'OBJECT_COLUMN':
      if (relation) renameColumn(builder, relation, f.subname, f.newname, ctx);
      return;
    case 'OBJECT_INDEX': {
      if (!relation) return;
      const [schema, name] = splitQualified(relation);
      const owner = builder.tableWith(schema, (t) => t.indexes.some((i) => i.name === name));
      if (!owner) return;
      // Renaming a constraint's index renames the constraint too.
      const table = builder.table(owner.name)!;
      const constraint = table.indexes.find((i) => i.name === name)?.constraint;
      table.indexes = table.indexes.map((i) =>
        i.name === name ? { ...i, name: f.newname, ...(constraint ? { constraint: f.newname } : {}) } : i,
      );
      table.constraints = table.constraints.map((c) =>
        constraint && c.name === constraint ? { ...c, name: f.newname } : c,
      );
      return;
    }
    case 'OBJECT_TABCONSTRAINT': {
      const table = relation ? builder.table(relation) : undefined;
      if (!table) return;
      table.constraints = table.constraints.map((c) => (c.name === f.subname ? { ...c, name: f.newname } : c));
      table.indexes = table.indexes.map((i) =>
        i.constraint === f.subname ? { ...i, name: f.newname, constraint: f.newname } : i,
      );
      return;
    }
    case 'OBJECT_TRIGGER': {
      const table = relation ? builder.table(relation) : undefined;
      if (table) table.triggers = table.triggers.map((t) => (t.name === f.subname ? { ...t, name: f.newname } : t));
      return;
    }
    case 'OBJECT_SCHEMA':
      renameSchema(builder, f.subname, f.newname, ctx);
      return;
    case 'OBJECT_FUNCTION': {
      const names = objectNames(f.object ?? {});
      const from = qualify(names);
      const fn = builder.functions.get(from);
      if (fn) {
        const to = `${splitQualified(from)[0]}.${f.newname}`;
        builder.functions.delete(from);
        builder.functions.set(to, { ...fn, name: to });
      }
      return;
    }
  }
}

function renameEntry<T extends { name: string }>(map: Map<string, T>, from: string, newname: string): void {
  const entry = map.get(from);
  if (!entry) return;
  const to = `${splitQualified(from)[0]}.${newname}`;
  map.delete(from);
  map.set(to, { ...entry, name: to });
}

function renameTable(builder: CatalogBuilder, from: string, to: string, ctx: Ctx): void {
  const table = builder.table(from);
  if (!table) {
    ctx.skip(`RENAME of ${from}, a table the model does not know`, from);
    return;
  }
  builder.tables.delete(from);
  builder.tables.set(to, table);
  table.name = to;
  for (const other of [...builder.tables.values()]) {
    if (other.constraints.some((c) => c.references?.table === from)) {
      const referencing = builder.table(other.name)!;
      referencing.constraints = referencing.constraints.map((c) =>
        c.references?.table === from ? { ...c, references: { ...c.references, table: to } } : c,
      );
    }
  }
  for (const [name, sequence] of builder.sequences) {
    if (sequence.ownedBy?.startsWith(`${from}.`))
      builder.sequences.set(name, { ...sequence, ownedBy: to + sequence.ownedBy.slice(from.length) });
  }
}

function renameColumn(builder: CatalogBuilder, tableName: string, from: string, to: string, ctx: Ctx): void {
  const table = builder.table(tableName);
  if (!table || !updateColumn(table, from, { name: to })) {
    ctx.skip(`RENAME COLUMN ${from} of ${tableName}, which the model does not know`, tableName);
    return;
  }
  const renamed = (columns: readonly string[]) => columns.map((c) => (c === from ? to : c));
  table.indexes = table.indexes.map((i) => ({
    ...i,
    keys: i.keys.map((k) => ('column' in k && k.column === from ? { ...k, column: to } : k)),
    include: renamed(i.include),
  }));
  table.constraints = table.constraints.map((c) => ({ ...c, columns: renamed(c.columns) }));
  for (const other of [...builder.tables.values()]) {
    if (other.constraints.some((c) => c.references?.table === tableName && c.references.columns.includes(from))) {
      const referencing = builder.table(other.name)!;
      referencing.constraints = referencing.constraints.map((c) =>
        c.references?.table === tableName
          ? { ...c, references: { ...c.references, columns: renamed(c.references.columns) } }
          : c,
      );
    }
  }
}

function renameSchema(builder: CatalogBuilder, from: string, to: string, ctx: Ctx): void {
  if (!builder.schemas.delete(from)) return;
  builder.schemas.add(to);
  const moved = (name: string) => (name.startsWith(`${from}.`) ? `${to}.${name.slice(from.length + 1)}` : undefined);
  for (const name of [...builder.tables.keys()]) {
    const target = moved(name);
    if (target) renameTable(builder, name, target, ctx);
  }
  for (const map of [builder.views, builder.sequences, builder.functions] as Map<string, { name: string }>[]) {
    for (const [name, entry] of [...map]) {
      const target = moved(name);
      if (target) {
        map.delete(name);
        map.set(target, { ...entry, name: target });
      }
    }
  }
}

function setSchema(f: PgNode, ctx: Ctx): void {
  const relation = qualifiedName(f.relation);
  if (f.objectType === 'OBJECT_TABLE' && relation)
    renameTable(ctx.builder, relation, `${f.newschema}.${splitQualified(relation)[1]}`, ctx);
}

// ---------------------------------------------------------------------------------------------------------
// Sequences, functions, triggers, DO blocks.

function ownedBy(options: PgNode[] | undefined): string | undefined {
  const items = options?.find((o) => o.DefElem?.defname === 'owned_by')?.DefElem?.arg?.List?.items;
  const names = nameList(items);
  if (names.length < 2 || (names.length === 1 && names[0] === 'none')) return undefined;
  const column = names[names.length - 1];
  return `${qualify(names.slice(0, -1))}.${column}`;
}

function createFunction(f: PgNode, { builder, statement }: Ctx): void {
  const name = qualify(nameList(f.funcname));
  const options = (f.options as PgNode[] | undefined) ?? [];
  const option = (defname: string) => options.find((o) => o.DefElem?.defname === defname)?.DefElem?.arg;
  const language = String(option('language')?.String?.sval ?? 'sql').toLowerCase();
  const returns = f.returnType ? typeNameText(f.returnType) : 'void';
  builder.functions.set(name, { name, language, returns, ...functionWrites(statement) });
}

const EVENT_BITS: [number, TriggerEvent][] = [
  [4, 'insert'],
  [8, 'delete'],
  [16, 'update'],
  [32, 'truncate'],
];

/** Trigger timing and event bits, as in CreateTrigStmt and pg_trigger.tgtype. */
export function triggerShape(bits: number, timingBits: number): Pick<TriggerInfo, 'timing' | 'events'> {
  return {
    timing: timingBits & 2 ? 'before' : timingBits & 64 ? 'instead of' : 'after',
    events: EVENT_BITS.filter(([bit]) => bits & bit).map(([, event]) => event),
  };
}

function createTrigger(f: PgNode, ctx: Ctx): void {
  const tableName = qualifiedName(f.relation);
  const table = tableName ? ctx.builder.table(tableName) : undefined;
  if (!table) {
    if (tableName && !ctx.builder.views.has(tableName))
      ctx.skip(`CREATE TRIGGER on ${tableName}, a table the model does not know`, tableName);
    return;
  }
  const trigger: TriggerInfo = {
    name: f.trigname,
    ...triggerShape(f.events ?? 0, f.timing ?? 0),
    forEachRow: Boolean(f.row),
    function: qualify(nameList(f.funcname)),
    constraint: Boolean(f.isconstraint),
    deferrable: Boolean(f.deferrable || f.initdeferred),
    initiallyDeferred: Boolean(f.initdeferred),
    enabled: true,
  };
  table.triggers = [...table.triggers.filter((t) => t.name !== trigger.name), trigger];
}
