import { isComputedName } from '../parse/fragment';
import { TABLELESS_METHODS } from '../parse/host-types';
import type { MigrationFile, Operation } from '../parse/migration';
import { CatalogBuilder } from './builder';
import type { PresenceCondition, SkippedStatement, TableInfo } from './catalog';
import { addForeignKeyIndexes, applyMySql } from './replay-mysql';
import { SkipReporter, applySql } from './replay-sql';

/**
 * Replays what one migration file does to the schema: its SQL statements (also SQL embedded in TS/JS, and the SQL
 * its ORM schema calls send, which extraction made statements: parse/orm/), in file order, `up` only (`down`, also a runner's Down section of a .sql file, undoes it).
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
  const names = [...new Set([...operation.tables.map((t) => t.table), ...operation.creates])];
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
  const computedNames = statement?.fragment.computedNames ?? [];
  if (computedNames.length > 0) {
    // `queryRunner.dropColumn(tableName, columnName)`: the operation is known, its target only when the code runs.
    // A table the call does name (`addColumn('patients', columnName, ...)`) changed in a way not known: uncertain.
    const table = operation.tables[0]?.table;
    skip(
      `${computedNames.map((name) => `\`${name}\``).join(', ')} computed at run time`,
      table && !isComputedName(table) ? table : undefined,
    );
    return;
  }
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
    // An ORM's SQL is generated as PostgreSQL's (parse/orm/); on MySQL, InnoDB also indexes each foreign key.
    if (statement.fragment.generated && file.dialect !== 'postgresql' && operation.tables[0])
      addForeignKeyIndexes(builder, operation.tables[0].table);
    return;
  }
  const call = operation.call;
  // An ORM schema call whose SQL the file does not show (parse/orm/): what it changes is not known.
  if (call?.kind === 'ddl' && call.notAnalysed && !TABLELESS_METHODS.has(call.method))
    skip(call.notAnalysed, call.table);
}
