import { AlterTableCommand, actionFileSpan, alterTableCommands } from '../lint/alter-table';
import { newTables } from '../lint/new-tables';
import { Rule } from '../lint/rule';
import type { MigrationFile, Operation } from '../parse/migration';
import { findConstraint } from '../lint/constraints';
import { sqlStatements } from '../lint/statements';
import { qualifiedName } from '../parse/ast';
import type { TableInfo } from '../schema/catalog';
import { transactionBlockOf } from '../lint/transaction-context';
import { isHolePlaceholder } from '../parse/fragment';

export const rule: Rule = {
  id: 'changing-column-default',
  severity: 'warning',
  summary:
    'Dropping the default of a NOT NULL column: INSERTs from running code that leave the column out start failing.',
  examples: {
    bad:
      "ALTER TABLE visits ADD COLUMN billing_status text NOT NULL DEFAULT 'unbilled';\n" +
      'ALTER TABLE visits ALTER COLUMN billing_status DROP DEFAULT;',
    good: "ALTER TABLE visits ADD COLUMN billing_status text NOT NULL DEFAULT 'unbilled';",
  },
  check({ file, catalogAt, catalogAfterFile, report }) {
    const created = newTables(file);
    const byOperation = new Map<Operation, AlterTableCommand[]>();
    for (const command of alterTableCommands(file)) {
      if (!dropsDefault(command) || created.isNew(command.table, command.operation)) continue;
      // A name filled in at run time (`alter table ${table} ...`): which column it is, the file does not say.
      if (isHolePlaceholder(command.table.split('.').pop()!) || isHolePlaceholder(command.cmd.name)) continue;
      // Dropped to change the column's type and set again later in the same transaction: no insert sees the gap.
      if (defaultRestored(file, command)) continue;
      byOperation.set(command.operation, [...(byOperation.get(command.operation) ?? []), command]);
    }
    // The catalog before each statement: the schema source's, plus what this migration did so far (a column it
    // added NOT NULL a few statements earlier counts).
    for (const [operation, commands] of byOperation) {
      for (const command of commands) {
        const column = catalogAt(operation)
          .tables.get(command.table)
          ?.columns.find((c) => c.name === command.cmd.name);
        const required = column
          ? !column.nullable && column.default !== undefined && !column.identity
          : addedRequired(file, command);
        // A BEFORE INSERT row trigger may fill the column in (lemmy sets ap_id that way): the rule cannot tell.
        if (
          !required ||
          fillsOnInsert(catalogAfterFile().tables.get(command.table)) ||
          createsInsertTrigger(file, command.table)
        )
          continue;
        report({
          span: actionFileSpan(command),
          message:
            `${command.cmd.name} of ${command.table} is NOT NULL: once its default is gone, every INSERT that leaves the ` +
            'column out fails with a not-null violation (23502) — and the application version deployed now, which does ' +
            'not know about the change (or the column), leaves it out.',
          help:
            'Keep the default until every version of the code that inserts into the table sets the column explicitly, ' +
            'then drop it in a later migration; or keep a default for good.',
        });
      }
    }
  },
};

/**
 * Whether an earlier ALTER TABLE of the same section added the column NOT NULL with a default: the schema
 * source may not know the table, but the migration itself says the column is required.
 */
function addedRequired(file: MigrationFile, command: AlterTableCommand): boolean {
  return alterTableCommands(file).some((earlier) => {
    const def = earlier.cmd.subtype === 'AT_AddColumn' ? earlier.cmd.def?.ColumnDef : undefined;
    return (
      def?.colname === command.cmd.name &&
      earlier.table === command.table &&
      earlier.operation.section === command.operation.section &&
      earlier.statement.fileSpan.start < command.statement.fileSpan.start &&
      findConstraint(def, 'CONSTR_NOTNULL') !== undefined &&
      findConstraint(def, 'CONSTR_DEFAULT') !== undefined
    );
  });
}

function dropsDefault(command: AlterTableCommand): boolean {
  return command.cmd.subtype === 'AT_ColumnDefault' && (!command.cmd.def || Boolean(command.cmd.def.A_Const?.isnull));
}

/** A later SET DEFAULT of the same column in the same transaction. */
function defaultRestored(file: MigrationFile, command: AlterTableCommand): boolean {
  const block = transactionBlockOf(file, command.operation);
  if (!block) return false;
  return alterTableCommands(file).some(
    (later) =>
      later.cmd.subtype === 'AT_ColumnDefault' &&
      !dropsDefault(later) &&
      later.table === command.table &&
      later.cmd.name === command.cmd.name &&
      later.statement.fileSpan.start > command.statement.fileSpan.start &&
      transactionBlockOf(file, later.operation) === block,
  );
}

function fillsOnInsert(table: TableInfo | undefined): boolean {
  return (table?.triggers ?? []).some(
    (trigger) => trigger.timing === 'before' && trigger.forEachRow && trigger.events.includes('insert'),
  );
}

/**
 * The migration itself creates a BEFORE INSERT row trigger on the table (the catalog may not know the table:
 * it can come from a schema the replay never saw).
 */
function createsInsertTrigger(file: MigrationFile, table: string): boolean {
  return sqlStatements(file, 'CreateTrigStmt').some(
    ({ node }) =>
      qualifiedName(node.relation) === table &&
      node.row &&
      (node.timing & TRIGGER_BEFORE) !== 0 &&
      (node.events & TRIGGER_INSERT) !== 0,
  );
}

/** pg_trigger.tgtype bits, as CREATE TRIGGER's parse tree gives them. */
const TRIGGER_BEFORE = 1 << 1;
const TRIGGER_INSERT = 1 << 2;
