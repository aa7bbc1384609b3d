import { constraintsAddedToExistingTables, isNotValid } from '../lint/constraints';
import { notValidFix } from '../lint/not-valid';
import { ormCallOf } from '../lint/orm-calls';
import { Rule } from '../lint/rule';
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
    for (const { command, constraint, inline, span } of constraintsAddedToExistingTables(file, 'CONSTR_FOREIGN')) {
      if (isNotValid(constraint)) continue;
      report({
        span,
        message: message(command.table, qualifiedName(constraint.pktable)),
        // A column constraint cannot be NOT VALID.
        help: ormCallOf(command.operation)
          ? `Use raw SQL for this step. ${HELP}`
          : inline
            ? `Add the column without REFERENCES, then add the foreign key as its own constraint. ${HELP}`
            : HELP,
        fix: inline ? undefined : notValidFix(file, command, constraint),
      });
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
