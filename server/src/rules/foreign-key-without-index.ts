import type { DeploymentVariant } from '../resolved-config';
import { constraintTokens, constraintsOf } from '../lint/constraints';
import { Finding, Rule } from '../lint/rule';
import { reportPerVariant } from '../lint/variants';
import { tokenFileSpan } from '../lint/sql-tokens';
import { nameList, walk } from '../parse/ast';
import { inSqlFile } from '../lint/fix-edits';
import type { MigrationFile, Operation } from '../parse/migration';
import type { Span } from '../parse/text';
import type { Catalog, ConstraintInfo, IndexInfo, TableInfo } from '../schema/catalog';
import { byPresence, presenceOn, undecidedConditions } from '../schema/variants';

/** A foreign key this migration adds, with the operation that adds it. */
interface AddedForeignKey {
  table: string;
  constraint: ConstraintInfo;
  operation: Operation;
}

export const rule: Rule = {
  id: 'foreign-key-without-index',
  severity: 'warning',
  summary:
    'A foreign key whose referencing columns no index starts with: every delete in the referenced table scans this one.',
  fixable: true,
  check({ file, catalog, catalogAt, catalogAfterFile, config, report }) {
    // Which indexes a table has is a question for the schema: without it, say nothing rather than guess.
    if (!catalog) return;
    for (const added of addedForeignKeys(file, catalogAt, catalogAfterFile)) {
      const table = catalogAfterFile().tables.get(added.table);
      if (!table || table.uncertain) continue;
      // An index or foreign key created under a condition of the migration's code exists on some servers only.
      const conditional = added.constraint.onlyWhen !== undefined || table.indexes.some((index) => index.onlyWhen);
      reportPerVariant(
        conditional ? config.variants : [],
        (variant) => judgeForeignKey(file, added, table, variant),
        report,
      );
    }
  },
};

/** The finding on `variant`'s servers: none where the foreign key is absent or an index there serves it. */
function judgeForeignKey(
  file: MigrationFile,
  added: AddedForeignKey,
  table: TableInfo,
  variant: DeploymentVariant | undefined,
): Finding | undefined {
  if (presenceOn(added.constraint.onlyWhen, variant) === 'nowhere') return undefined;
  const { everywhere, someServers } = byPresence(table.indexes, variant);
  const columns = added.constraint.columns;
  if (isIndexed(everywhere, columns)) return undefined;
  const listed = columns.join(', ');
  const referenced = added.constraint.references?.table ?? 'the referenced table';
  const conditional = someServers.find((index) => isIndexed([...everywhere, index], columns));
  const missing = conditional
    ? `The index ${conditional.name} on ${added.table} (${listed}), the referencing side of this foreign key to ${referenced}, ` +
      `is created only when ${undecidedConditions(conditional.onlyWhen, variant)}: elsewhere every`
    : `No index on ${added.table} starts with (${listed}), the referencing side of this foreign key to ${referenced}. Every`;
  return {
    span: constraintSpan(added) ?? added.operation.fileSpan,
    message:
      `${missing} DELETE from ${referenced}, and every UPDATE of its key, must look for referencing rows in ` +
      `${added.table}: without an index that is a sequential scan of ${added.table} for each row, made while ` +
      'holding locks (ON DELETE CASCADE and SET NULL too), and joins on the key scan as well.',
    help:
      `Create the index in this migration for a new table (CREATE INDEX ON ${added.table} (${listed})), or with ` +
      'CREATE INDEX CONCURRENTLY in a migration of its own for an existing one.',
    fix: indexFix(file, added),
  };
}

/**
 * The foreign keys each forward operation adds, found by comparing the catalog before it with the catalog after
 * it (before the next forward operation, or after the file): SQL and ORM calls alike.
 */
function addedForeignKeys(
  file: MigrationFile,
  catalogAt: (operation: Operation) => Catalog,
  catalogAfterFile: () => Catalog,
): AddedForeignKey[] {
  const added: AddedForeignKey[] = [];
  const forward = file.operations.filter((operation) => operation.section !== 'down');
  forward.forEach((operation, index) => {
    if (operation.effect !== 'ddl' || !mayAddForeignKey(operation)) return;
    const tables = [...new Set([...operation.tables.map((t) => t.table), ...operation.creates])];
    const before = catalogAt(operation);
    const known = new Set(
      tables.flatMap((table) => foreignKeys(before.tables.get(table)).flatMap((c) => foreignKeyKeys(table, c))),
    );
    const after = index + 1 < forward.length ? catalogAt(forward[index + 1]) : catalogAfterFile();
    for (const table of tables) {
      for (const constraint of foreignKeys(after.tables.get(table))) {
        // Renaming a column or a constraint changes one of the two keys, never both.
        if (foreignKeyKeys(table, constraint).some((key) => known.has(key))) continue;
        added.push({ table, constraint, operation });
      }
    }
  });
  return added;
}

/** SQL that spells out a foreign key; ORM calls are judged by what their replay adds. */
function mayAddForeignKey(operation: Operation): boolean {
  if (!operation.statement?.node) return operation.call !== undefined;
  let found = false;
  walk(operation.statement.node, (type, fields) => {
    if (type === 'Constraint' && fields.contype === 'CONSTR_FOREIGN') found = true;
  });
  return found;
}

function foreignKeys(table: TableInfo | undefined): ConstraintInfo[] {
  return (table?.constraints ?? []).filter((c) => c.type === 'foreign-key');
}

/** A foreign key is the same one when it has the same name, or the same columns and referenced table. */
function foreignKeyKeys(table: string, constraint: ConstraintInfo): string[] {
  return [
    `${table}\u0000name\u0000${constraint.name}`,
    `${table}\u0000columns\u0000${constraint.columns.join(',')}\u0000${constraint.references?.table ?? ''}`,
  ];
}

/**
 * Whether an index serves lookups by the foreign key's columns: a complete (not partial) index whose leading
 * keys are exactly those columns, in any order. A primary key or unique constraint's index counts.
 */
function isIndexed(indexes: readonly IndexInfo[], columns: readonly string[]): boolean {
  if (columns.length === 0) return true;
  const wanted = new Set(columns);
  return indexes.some((index) => {
    if (index.predicate !== undefined || index.keys.length < columns.length) return false;
    const leading = index.keys.slice(0, columns.length);
    return leading.every((key) => 'column' in key && wanted.has(key.column));
  });
}

/** The foreign key's clause in the SQL statement that adds it (`REFERENCES visits (id)`, `FOREIGN KEY (...) ...`). */
function constraintSpan(added: AddedForeignKey): Span | undefined {
  const statement = added.operation.statement;
  if (!statement?.node) return undefined;
  let span: Span | undefined;
  walk(statement.node, (type, fields) => {
    if (span || (type !== 'ColumnDef' && type !== 'Constraint')) return;
    const constraints = type === 'ColumnDef' ? constraintsOf(fields) : [fields];
    for (const constraint of constraints) {
      if (constraint.contype !== 'CONSTR_FOREIGN') continue;
      const columns = type === 'ColumnDef' ? [fields.colname] : nameList(constraint.fk_attrs);
      if (columns.join(',') !== added.constraint.columns.join(',')) continue;
      const tokens = constraintTokens(statement, constraint, constraints);
      span = tokens ? tokenFileSpan(statement, tokens.first, tokens.last) : undefined;
      if (span) return;
    }
  });
  return span;
}

/**
 * For a table this migration creates in a `.sql` file, an index created right after the statement: nothing can
 * be using the table yet, so a plain CREATE INDEX is fine. Existing tables need CONCURRENTLY, outside the
 * migration's transaction: that is a decision for the author.
 */
function indexFix(file: MigrationFile, added: AddedForeignKey) {
  const statement = added.operation.statement;
  const createsTable = added.operation.creates.includes(added.table);
  if (!statement || !createsTable || !inSqlFile(statement)) return undefined;
  const columns = added.constraint.columns;
  const relation = added.table.startsWith('public.') ? added.table.slice('public.'.length) : added.table;
  const name = `${relation.split('.').pop()}_${columns.join('_')}_idx`.slice(0, 63);
  const end = statement.fileSpan.end;
  const semicolon = file.text.indexOf(';', end);
  const at = semicolon >= 0 && file.text.slice(end, semicolon).trim() === '' ? semicolon + 1 : end;
  const quote = (identifier: string) =>
    /^[a-z_][a-z0-9_]*$/.test(identifier) ? identifier : `"${identifier.replace(/"/g, '""')}"`;
  const target = relation.split('.').map(quote).join('.');
  return {
    title: `Create an index on ${added.table} (${columns.join(', ')})`,
    edits: [
      {
        span: { start: at, end: at },
        newText: `\nCREATE INDEX ${quote(name)} ON ${target} (${columns.map(quote).join(', ')});`,
      },
    ],
    safe: false,
  };
}
