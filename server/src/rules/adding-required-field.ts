import { actionFileSpan, commandsOnExistingTables } from '../lint/alter-table';
import { builtinTypeName } from '../lint/column-types';
import { findConstraint, generatesValues } from '../lint/constraints';
import { Rule } from '../lint/rule';

export const rule: Rule = {
  id: 'adding-required-field',
  severity: 'error',
  summary: 'ADD COLUMN ... NOT NULL without a DEFAULT fails on any table that has rows.',
  examples: {
    bad: 'ALTER TABLE recipes ADD COLUMN public boolean NOT NULL;',
    good: 'ALTER TABLE recipes ADD COLUMN public boolean NOT NULL DEFAULT false;',
  },
  check({ file, report }) {
    for (const command of commandsOnExistingTables(file, 'AT_AddColumn')) {
      const def = command.cmd.def?.ColumnDef;
      if (!def) continue;
      const required = findConstraint(def, 'CONSTR_NOTNULL', 'CONSTR_PRIMARY') !== undefined;
      // serial types bring their own default (nextval); identity and generated columns compute their values.
      const filled =
        findConstraint(def, 'CONSTR_DEFAULT') !== undefined ||
        generatesValues(def) ||
        /serial/.test(builtinTypeName(def.typeName) ?? '');
      if (!required || filled) continue;
      report({
        span: actionFileSpan(command),
        message:
          `Column ${def.colname} is added NOT NULL with no default, so every existing row of ${command.table} would hold NULL: ` +
          'on a table with rows the migration fails ("contains null values"), even if it passed on an empty development ' +
          'database. Instances of the previous release that insert without the column fail too.',
        help:
          'Add it nullable and backfill it, then make it NOT NULL (see adding-not-nullable-field); or give it a constant ' +
          'DEFAULT, which PostgreSQL 11+ adds without rewriting the table.',
      });
    }
  },
};
