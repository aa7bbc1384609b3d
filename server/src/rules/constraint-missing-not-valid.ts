import { actionFileSpan, alterTableCommands } from '../lint/alter-table';
import { isNotValid } from '../lint/constraints';
import { newTables } from '../lint/new-tables';
import { notValidFix } from '../lint/not-valid';
import { Rule } from '../lint/rule';
import { transactionBlockOf } from '../lint/transaction-context';

export const rule: Rule = {
  id: 'constraint-missing-not-valid',
  severity: 'warning',
  summary:
    'Adding a CHECK constraint scans the whole table while blocking reads and writes; validating it in the same transaction does too.',
  fixable: true,
  examples: {
    bad: 'ALTER TABLE accounts ADD CONSTRAINT balance_positive CHECK (balance >= 0);',
    good: 'ALTER TABLE accounts ADD CONSTRAINT balance_positive CHECK (balance >= 0) NOT VALID;',
  },
  check({ file, report }) {
    const created = newTables(file);
    const notValidAdded = new Map<string, ReturnType<typeof transactionBlockOf>>();
    for (const command of alterTableCommands(file)) {
      const constraint = command.cmd.def?.Constraint;
      if (command.cmd.subtype === 'AT_AddConstraint' && constraint) {
        if (isNotValid(constraint)) {
          if (constraint.conname)
            notValidAdded.set(`${command.table}.${constraint.conname}`, transactionBlockOf(file, command.operation));
          continue;
        }
        // Foreign keys are adding-foreign-key-constraint's; UNIQUE, PRIMARY KEY and EXCLUDE cannot be NOT VALID.
        if (constraint.contype !== 'CONSTR_CHECK' || created.isNew(command.table, command.operation)) continue;
        report({
          span: actionFileSpan(command),
          message:
            `Adding CHECK constraint${constraint.conname ? ` ${constraint.conname}` : ''} takes an ACCESS EXCLUSIVE lock on ` +
            `${command.table} and keeps it while every existing row is checked: reads and writes wait for the whole scan.`,
          help: 'Add it NOT VALID (new rows are checked at once), then run ALTER TABLE ... VALIDATE CONSTRAINT in a separate transaction.',
          fix: notValidFix(file, command, constraint),
        });
      } else if (command.cmd.subtype === 'AT_ValidateConstraint') {
        const key = `${command.table}.${command.cmd.name}`;
        const block = notValidAdded.get(key);
        if (!notValidAdded.has(key) || !block || block !== transactionBlockOf(file, command.operation)) continue;
        report({
          span: actionFileSpan(command),
          message:
            `Constraint ${command.cmd.name} was added NOT VALID in this same transaction, whose lock on ${command.table} is held ` +
            'until commit: this VALIDATE scans the table while reads and writes are still blocked, so NOT VALID gained nothing.',
          help: 'Validate it in a separate migration (or after a COMMIT), once the ADD CONSTRAINT has committed.',
        });
      }
    }
  },
};
