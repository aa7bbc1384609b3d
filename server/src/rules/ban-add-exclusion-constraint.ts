import { actionFileSpan, alterTableCommands } from '../lint/alter-table';
import { newTables } from '../lint/new-tables';
import { Rule } from '../lint/rule';
import { PgNode } from '../parse/ast';

export const rule: Rule = {
  id: 'ban-add-exclusion-constraint',
  severity: 'warning',
  summary:
    'Adding an EXCLUDE constraint to an existing table builds its index and checks every row under ACCESS EXCLUSIVE.',
  examples: {
    bad: 'ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&);',
    good:
      'CREATE TABLE bookings (\n  room_id bigint NOT NULL,\n  during tstzrange NOT NULL,\n' +
      '  CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&)\n);',
  },
  check({ file, report }) {
    const created = newTables(file);
    for (const command of alterTableCommands(file)) {
      const constraint: PgNode | undefined = command.cmd.def?.Constraint;
      if (command.cmd.subtype !== 'AT_AddConstraint' || constraint?.contype !== 'CONSTR_EXCLUSION') continue;
      if (created.isNew(command.table, command.operation)) continue;
      const equalityOnly = ((constraint.exclusions as PgNode[] | undefined) ?? []).every((pair) => {
        const operator = (pair.List?.items?.[1]?.List?.items as PgNode[] | undefined)?.at(-1)?.String?.sval;
        return operator === '=';
      });
      report({
        span: actionFileSpan(command),
        message:
          `Adding an exclusion constraint to ${command.table} builds its index and checks every existing row while holding ` +
          `an ACCESS EXCLUSIVE lock: reads and writes of ${command.table} wait for the whole build. Unlike UNIQUE or ` +
          'CHECK, an exclusion constraint cannot be added NOT VALID or from an index built CONCURRENTLY.',
        help: equalityOnly
          ? 'Every operator here is =, which a unique index enforces: CREATE UNIQUE INDEX CONCURRENTLY on these columns ' +
            'instead (then ADD CONSTRAINT ... UNIQUE USING INDEX if you need a constraint).'
          : 'There is no online way to add it: run it in a maintenance window with a short lock_timeout, or create a new ' +
            'table with the constraint, copy the rows over in batches and swap the tables.',
      });
    }
  },
};
