import { actionFileSpan, alterTableCommands } from '../lint/alter-table';
import { constraintTokens, constraintsOf, isNotValid } from '../lint/constraints';
import { newTables } from '../lint/new-tables';
import { notValidFix } from '../lint/not-valid';
import { ormSchemaActions } from '../lint/orm-schema';
import { Rule } from '../lint/rule';
import { tokenFileSpan } from '../lint/sql-tokens';
import { qualifiedName } from '../parse/ast';

const HELP =
  'Add the foreign key NOT VALID (it then only checks new rows and commits at once), and run ALTER TABLE ... VALIDATE ' +
  'CONSTRAINT in a separate transaction: validation takes SHARE UPDATE EXCLUSIVE, which lets reads and writes continue.';

export const rule: Rule = {
  id: 'adding-foreign-key-constraint',
  severity: 'warning',
  summary: 'Adding a foreign key blocks writes to both tables while every existing row is checked.',
  fixable: true,
  examples: {
    bad: 'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);',
    good: 'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;',
  },
  check({ file, report }) {
    const created = newTables(file);
    for (const command of alterTableCommands(file)) {
      if (created.isNew(command.table, command.operation)) continue;
      const constraint = command.cmd.def?.Constraint;
      if (command.cmd.subtype === 'AT_AddConstraint' && constraint?.contype === 'CONSTR_FOREIGN' && !isNotValid(constraint)) {
        report({
          span: actionFileSpan(command),
          message: message(command.table, qualifiedName(constraint.pktable)),
          help: HELP,
          fix: notValidFix(file, command, constraint),
        });
      }
      const column = command.cmd.subtype === 'AT_AddColumn' ? command.cmd.def?.ColumnDef : undefined;
      for (const reference of constraintsOf(column).filter((c) => c.contype === 'CONSTR_FOREIGN')) {
        const tokens = constraintTokens(command.statement, reference, constraintsOf(column));
        report({
          span: tokens ? tokenFileSpan(command.statement, tokens.first, tokens.last) : actionFileSpan(command),
          message: message(command.table, qualifiedName(reference.pktable)),
          help: `Add the column without REFERENCES, then add the foreign key as its own constraint. ${HELP}`,
        });
      }
    }
    for (const action of ormSchemaActions(file)) {
      if (action.kind !== 'add-constraint' || !/foreign/i.test(action.method) || created.isNew(action.table, action.operation)) continue;
      report({ span: action.span, message: message(action.table, undefined), help: `Use raw SQL for this step. ${HELP}` });
    }
  },
};

function message(table: string | undefined, referenced: string | undefined): string {
  return (
    `Adding a foreign key takes SHARE ROW EXCLUSIVE locks on ${table ?? 'the table'}${referenced ? ` and ${referenced}` : ' and the referenced table'} ` +
    'and holds them while every existing row is checked against the referenced table: inserts, updates and deletes on ' +
    'both wait for the whole scan.'
  );
}
