import { FileFragment } from '../parse/fragment';
import { type Framework, type SchemaCall, TABLELESS_METHODS } from '../parse/host-types';
import type { MigrationFile, Operation } from '../parse/migration';
import { parseFragment } from '../parse/sql';
import { CatalogBuilder } from './builder';
import type { PresenceCondition, SkippedStatement, TableInfo } from './catalog';
import { addForeignKeyIndexes, applyMySql } from './replay-mysql';
import { SkipReporter, applySql } from './replay-sql';

/**
 * Replays what one migration file does to the schema: its SQL statements (also SQL embedded in TS/JS) and its
 * ORM schema calls, in file order, `up` only (`down`, also a runner's Down section of a .sql file, undoes it).
 * Never throws on user input: whatever cannot be followed is skipped with a reason, and the tables it touches are marked uncertain.
 */
export function replayMigration(builder: CatalogBuilder, file: MigrationFile, skipped: SkippedStatement[]): void {
  const record: RecordSkip = (operation, reason) =>
    skipped.push({ file: file.path, line: file.lines.positionAt(operation.fileSpan.start).line + 1, reason });
  for (const operation of file.operations.filter((o) => o.section !== 'down'))
    replayOperation(builder, file, operation, record);
}

export type RecordSkip = (operation: Operation, reason: string) => void;

/**
 * Applies one operation of `file` to `builder`; what it does under a condition of the migration's code is marked
 * `onlyWhen`. `record` hears of what cannot be followed.
 */
export function replayOperation(
  builder: CatalogBuilder,
  file: MigrationFile,
  operation: Operation,
  record: RecordSkip,
): void {
  if (!operation.conditions) {
    applyChange(builder, file, operation, record);
    return;
  }
  // What a conditional statement creates exists only where its conditions hold: mark what is new afterwards.
  const names = [
    ...new Set([
      ...operation.tables.map((t) => t.table),
      ...operation.creates,
      ...(operation.call?.kind === 'ddl' && operation.call.table ? [operation.call.table] : []),
    ]),
  ];
  // Names, not objects: a table the builder already owns is changed in place.
  const before = new Map(names.map((name) => [name, namesIn(builder.tables.get(name))]));
  applyChange(builder, file, operation, record);
  const onlyWhen: PresenceCondition[] = operation.conditions.map(({ span, ...condition }) => ({
    ...condition,
    file: file.path,
    line: file.lines.positionAt(span.start).line + 1,
  }));
  for (const [name, prior] of before) {
    if (!builder.tables.has(name)) continue;
    const table = builder.table(name)!;
    if (!prior) {
      table.onlyWhen = [...(table.onlyWhen ?? []), ...onlyWhen];
      continue;
    }
    table.columns = markNew(table.columns, prior.columns, onlyWhen);
    table.indexes = markNew(table.indexes, prior.indexes, onlyWhen);
    table.constraints = markNew(table.constraints, prior.constraints, onlyWhen);
    table.triggers = markNew(table.triggers, prior.triggers, onlyWhen);
  }
}

type Named = readonly { name: string }[];

function namesIn(table: TableInfo | undefined) {
  if (!table) return undefined;
  const names = (entries: Named) => new Set(entries.map((entry) => entry.name));
  return {
    columns: names(table.columns),
    indexes: names(table.indexes),
    constraints: names(table.constraints),
    triggers: names(table.triggers),
  };
}

/** The entries whose names were not there before, marked with `onlyWhen` (entries are shared with older catalogs: copied, never changed). */
function markNew<T extends { name: string; onlyWhen?: readonly PresenceCondition[] }>(
  current: T[],
  known: ReadonlySet<string>,
  onlyWhen: PresenceCondition[],
): T[] {
  return current.map((entry) =>
    known.has(entry.name) ? entry : { ...entry, onlyWhen: [...(entry.onlyWhen ?? []), ...onlyWhen] },
  );
}

function applyChange(builder: CatalogBuilder, file: MigrationFile, operation: Operation, record: RecordSkip): void {
  const skip: SkipReporter = (reason, table) => {
    record(operation, reason);
    const known = table ? builder.table(table) : undefined;
    if (known) known.uncertain ??= reason;
  };
  const statement = operation.statement;
  if (statement) {
    // A statement that does not parse may still change the table its keywords name (MySQL: one node-sql-parser
    // cannot read): that table is uncertain from here on.
    if (statement.syntaxError)
      skip(
        `syntax error: ${statement.syntaxError.message}`,
        operation.effect === 'ddl' ? operation.tables[0]?.table : undefined,
      );
    else if (statement.mysql) applyMySql(builder, statement.mysql, skip);
    else if (statement.node) applySql(builder, statement, skip);
    return;
  }
  const call = operation.call;
  if (call?.kind !== 'ddl') return;
  if (!call.table) {
    // Schema-wide calls (createSchema, createExtension, createFunction) do not change tables the model keeps.
    if (!TABLELESS_METHODS.has(call.method)) skip(`${call.method}() does not name its table with a literal`);
    return;
  }
  let statements: string[];
  try {
    statements = ormStatements(file.host?.framework ?? 'script', call, call.table);
  } catch (error) {
    if (!(error instanceof unreadableCall())) throw error;
    skip(`${call.method}(): ${error.message}`, call.table);
    return;
  }
  for (const sql of statements) {
    for (const generated of parseFragment(new FileFragment(sql)).statements) {
      if (generated.node) applySql(builder, generated, skip);
      else skip(`${call.method}(): the SQL it stands for could not be read`, call.table);
    }
  }
  // The ORM's SQL is modelled as PostgreSQL's; on MySQL, InnoDB also indexes each foreign key.
  if (file.dialect !== 'postgresql') addForeignKeyIndexes(builder, call.table);
}

/** The SQL an ORM schema call sends, read from its literal arguments; throws UnreadableCall otherwise. */
function ormStatements(framework: Framework, call: SchemaCall, table: string): string[] {
  // The ORM readers walk TypeScript syntax trees: they load (with the TypeScript compiler) only when a TS/JS
  // migration's schema call is replayed, so that replaying .sql migrations never pays for the compiler.
  /* eslint-disable @typescript-eslint/no-require-imports */
  switch (framework) {
    case 'sequelize':
      return (require('./orm-sequelize') as typeof import('./orm-sequelize')).sequelizeStatements(call, table);
    case 'knex':
      return (require('./orm-knex') as typeof import('./orm-knex')).knexStatements(call, table);
    case 'typeorm':
      return (require('./orm-typeorm') as typeof import('./orm-typeorm')).typeormStatements(call, table);
    case 'node-pg-migrate':
      return (require('./orm-node-pg-migrate') as typeof import('./orm-node-pg-migrate')).nodePgMigrateStatements(
        call,
        table,
      );
    default:
      throw new (unreadableCall())(`${framework} schema calls are not modelled`);
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

function unreadableCall(): typeof import('./orm-literals').UnreadableCall {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./orm-literals') as typeof import('./orm-literals')).UnreadableCall;
}
