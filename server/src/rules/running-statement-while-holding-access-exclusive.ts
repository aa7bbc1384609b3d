import { describeOperation } from '../lint/describe';
import { statementLock } from '../lint/locks';
import { knownToDiffer } from '../lint/computed-names';
import { newTables } from '../lint/new-tables';
import { ormCallOf } from '../lint/orm-calls';
import { Rule } from '../lint/rule';
import { TableWork, alterActionWork, statementWork } from '../lint/table-work';
import { transactionState } from '../lint/transaction-context';
import { PgNode, fieldsOf, qualifiedName, walk } from '../parse/ast';
import type { MigrationFile, Operation } from '../parse/migration';
import type { Catalog } from '../schema/catalog';

/** An ACCESS EXCLUSIVE lock the transaction holds on an existing table, from the statement that took it. */
interface HeldLock {
  table: string;
  operation: Operation;
}

export const rule: Rule = {
  id: 'running-statement-while-holding-access-exclusive',
  severity: 'warning',
  summary:
    'A statement that waits for another lock or reads the whole table, run after an ACCESS EXCLUSIVE lock in the same transaction.',
  examples: {
    bad: 'ALTER TABLE visits ADD COLUMN billing_code text;\nCREATE INDEX visits_billing_code_idx ON visits (billing_code);',
    good:
      'BEGIN;\nALTER TABLE visits ADD COLUMN billing_code text;\nCOMMIT;\n' +
      'CREATE INDEX CONCURRENTLY visits_billing_code_idx ON visits (billing_code);',
  },
  check({ file, config, catalog, report }) {
    const created = newTables(file);
    for (const block of file.transactions) {
      let held: HeldLock | undefined;
      for (const operation of block.operations) {
        if (held) {
          const concern = prolongs(operation, held, { file, pgVersion: config.pgVersion, catalog, created });
          if (!concern) continue;
          const line = file.lines.positionAt(held.operation.fileSpan.start).line + 1;
          const taken = `the ACCESS EXCLUSIVE lock ${describeOperation(held.operation)} took on line ${line}`;
          report({
            span: operation.fileSpan,
            message:
              concern.kind === 'waits'
                ? `${describeOperation(operation)} needs a lock on ${concern.table} while this transaction still holds ${taken}: ` +
                  `if ${concern.table} is busy (a long query, an idle transaction), it waits, and all that time nothing can ` +
                  `read or write ${held.table} either.`
                : `${concern.work.cause} ${workVerb(concern.work)} every row of ` +
                  `${held.table} while this transaction holds ${taken}: reads and writes of ${held.table} wait for all of ` +
                  'it, not just for the statement that took the lock.',
            help:
              'Commit right after the statement that takes the ACCESS EXCLUSIVE lock and run this one in a transaction ' +
              '(or migration) of its own, so that the strong lock is held for one short statement; set lock_timeout so ' +
              'that a busy table makes the migration fail and retry instead of stalling traffic.',
          });
          break;
        }
        if (transactionState(file, operation) !== 'transaction') continue;
        held = accessExclusive(operation, created);
      }
    }
  },
};

interface Context {
  file: MigrationFile;
  pgVersion: number;
  catalog?: Catalog;
  created: ReturnType<typeof newTables>;
}

/**
 * The ACCESS EXCLUSIVE lock an operation takes on a table others use. DROP TABLE is left out (the table is
 * gone: nothing waits to use it afterwards) and so is TRUNCATE, whose reload is the point (truncate-without-lock).
 */
function accessExclusive(operation: Operation, created: Context['created']): HeldLock | undefined {
  const statement = operation.statement;
  const table = operation.tables[0]?.table;
  if (!statement || statement.type === 'DropStmt' || statement.type === 'TruncateStmt') return undefined;
  if (!table || created.isNew(table, operation) || statementLock(statement) !== 'ACCESS EXCLUSIVE') return undefined;
  return { table, operation };
}

type Concern = { kind: 'waits'; table: string } | { kind: 'work'; work: TableWork };

function workVerb(work: TableWork): string {
  return work.kind === 'rewrite' ? 'rewrites' : 'reads';
}

/**
 * Data changes are mixed-ddl-dml's finding; other statements matter when they wait for a lock on another
 * table that existed before, or read or rewrite the locked table.
 */
function prolongs(operation: Operation, held: HeldLock, context: Context): Concern | undefined {
  if (operation.effect !== 'ddl') return undefined;
  // The statements of one ORM call (Sequelize's changeColumn sends three ALTER COLUMNs) are one step of the
  // migration: only a later call can run in a transaction of its own.
  const call = ormCallOf(operation);
  if (call && call === ormCallOf(held.operation)) return undefined;
  const statement = operation.statement;
  if (statement?.type === 'CreateStmt') {
    // A new table locks only the tables its foreign keys reference.
    const waitsFor = referencedTables(statement.node!).find(
      (t) => knownToDiffer(t, held.table) && !context.created.isNew(t, operation),
    );
    return waitsFor ? { kind: 'waits', table: waitsFor } : undefined;
  }
  if (statement) {
    const table = lockedTable(operation, context.catalog);
    if (!table || context.created.isNew(table, operation)) return undefined;
    if (table !== held.table) {
      // Another table, whose lock it may wait for: unless a computed name may be the locked table itself.
      return knownToDiffer(table, held.table) && statementLock(statement) ? { kind: 'waits', table } : undefined;
    }
    const work =
      statement.type === 'AlterTableStmt' ? alterTableWork(statement.node!, table, context) : statementWork(statement);
    return work ? { kind: 'work', work } : undefined;
  }
  return undefined;
}

/**
 * The table whose lock the statement takes. DROP INDEX and ALTER INDEX name an index, whose table only the
 * schema knows: without it the statement is left alone.
 */
function lockedTable(operation: Operation, catalog: Catalog | undefined): string | undefined {
  const named = operation.tables[0]?.table;
  const fields = fieldsOf(operation.statement?.node);
  const namesIndex =
    (operation.statement?.type === 'DropStmt' && fields.removeType === 'OBJECT_INDEX') ||
    (operation.statement?.type === 'AlterTableStmt' && fields.objtype === 'OBJECT_INDEX') ||
    (operation.statement?.type === 'RenameStmt' && fields.renameType === 'OBJECT_INDEX');
  if (!named || !namesIndex) return named;
  const [schema, index] = named.split('.');
  for (const table of catalog?.tables.values() ?? []) {
    if (table.name.startsWith(`${schema}.`) && table.indexes.some((i) => i.name === index)) return table.name;
  }
  return undefined;
}

function referencedTables(node: PgNode): string[] {
  const tables: string[] = [];
  walk(node, (type, fields) => {
    const table =
      type === 'Constraint' && fields.contype === 'CONSTR_FOREIGN' ? qualifiedName(fields.pktable) : undefined;
    if (table) tables.push(table);
  });
  return tables;
}

function alterTableWork(node: PgNode, table: string, context: Context): TableWork | undefined {
  for (const cmd of (fieldsOf(node).cmds as PgNode[] | undefined) ?? []) {
    const work = alterActionWork(cmd.AlterTableCmd ?? {}, {
      file: context.file,
      pgVersion: context.pgVersion,
      catalog: context.catalog,
      table,
    });
    if (work) return work;
  }
  return undefined;
}
