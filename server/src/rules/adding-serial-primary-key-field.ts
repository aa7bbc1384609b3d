import { actionFileSpan, alterTableCommands } from '../lint/alter-table';
import { constraintTokens, constraintsOf, usesExistingIndex } from '../lint/constraints';
import { buildIndexFirstFix } from '../lint/index-backed-constraints';
import { newTables } from '../lint/new-tables';
import { Rule } from '../lint/rule';
import { tokenFileSpan } from '../lint/sql-tokens';

const HELP =
  'Build the index first with CREATE UNIQUE INDEX CONCURRENTLY (on NOT NULL columns), then ALTER TABLE ... ADD ' +
  'CONSTRAINT name PRIMARY KEY USING INDEX name, which only needs the lock for a moment.';

export const rule: Rule = {
  id: 'adding-serial-primary-key-field',
  severity: 'warning',
  summary: 'Adding a primary key builds its index while blocking reads and writes to the table.',
  fixable: true,
  examples: {
    bad: 'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id);',
    good:
      '-- preflight-transaction: none\nCREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (id);\n' +
      'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;',
  },
  check({ file, report }) {
    const created = newTables(file);
    for (const command of alterTableCommands(file)) {
      if (created.isNew(command.table, command.operation)) continue;
      const constraint = command.cmd.def?.Constraint;
      if (command.cmd.subtype === 'AT_AddConstraint' && constraint?.contype === 'CONSTR_PRIMARY' && !usesExistingIndex(constraint)) {
        report({ span: actionFileSpan(command), message: message(command.table), help: HELP, fix: buildIndexFirstFix(file, command, constraint) });
      }
      const column = command.cmd.subtype === 'AT_AddColumn' ? command.cmd.def?.ColumnDef : undefined;
      for (const key of constraintsOf(column).filter((c) => c.contype === 'CONSTR_PRIMARY')) {
        const tokens = constraintTokens(command.statement, key, constraintsOf(column));
        report({
          span: tokens ? tokenFileSpan(command.statement, tokens.first, tokens.last) : actionFileSpan(command),
          message:
            `${message(command.table)} A new serial or identity key column also fills every existing row first, rewriting the table.`,
          help: `Add the column without PRIMARY KEY (and backfill it in batches if it needs values). ${HELP}`,
        });
      }
    }
  },
};

function message(table: string): string {
  return (
    `Adding a primary key builds its unique index (and checks its columns for NULLs) while holding an ACCESS EXCLUSIVE ` +
    `lock on ${table}: reads and writes wait for the whole build.`
  );
}
