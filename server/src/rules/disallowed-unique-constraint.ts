import { actionFileSpan, alterTableCommands } from '../lint/alter-table';
import { constraintTokens, constraintsOf, usesExistingIndex } from '../lint/constraints';
import { buildIndexFirstFix } from '../lint/index-backed-constraints';
import { newTables } from '../lint/new-tables';
import { Rule } from '../lint/rule';
import { tokenFileSpan } from '../lint/sql-tokens';

const HELP =
  'Build the index first with CREATE UNIQUE INDEX CONCURRENTLY, then ALTER TABLE ... ADD CONSTRAINT name UNIQUE USING ' +
  'INDEX name, which only needs the lock for a moment.';

export const rule: Rule = {
  id: 'disallowed-unique-constraint',
  severity: 'warning',
  summary: 'Adding a UNIQUE constraint builds its index while blocking reads and writes to the table.',
  fixable: true,
  examples: {
    bad: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
    good:
      '-- preflight-transaction: none\nCREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\n' +
      'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;',
  },
  check({ file, report }) {
    const created = newTables(file);
    for (const command of alterTableCommands(file)) {
      if (created.isNew(command.table, command.operation)) continue;
      const constraint = command.cmd.def?.Constraint;
      if (command.cmd.subtype === 'AT_AddConstraint' && constraint?.contype === 'CONSTR_UNIQUE' && !usesExistingIndex(constraint)) {
        report({ span: actionFileSpan(command), message: message(command.table), help: HELP, fix: buildIndexFirstFix(file, command, constraint) });
      }
      const column = command.cmd.subtype === 'AT_AddColumn' ? command.cmd.def?.ColumnDef : undefined;
      for (const unique of constraintsOf(column).filter((c) => c.contype === 'CONSTR_UNIQUE')) {
        const tokens = constraintTokens(command.statement, unique, constraintsOf(column));
        report({
          span: tokens ? tokenFileSpan(command.statement, tokens.first, tokens.last) : actionFileSpan(command),
          message: message(command.table),
          help: `Add the column without UNIQUE. ${HELP}`,
        });
      }
    }
  },
};

function message(table: string): string {
  return (
    `Adding a UNIQUE constraint builds its unique index while holding an ACCESS EXCLUSIVE lock on ${table}: reads and ` +
    'writes wait for the whole index build.'
  );
}
