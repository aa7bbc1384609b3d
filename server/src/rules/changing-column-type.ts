import { actionFileSpan, commandsOnExistingTables } from '../lint/alter-table';
import { columnDefinitions, isBinaryCompatibleWidening, isComputedType } from '../lint/column-types';
import { ormCallOf } from '../lint/orm-calls';
import { Rule } from '../lint/rule';

const HELP =
  'Add a column of the new type, keep it in sync with a trigger (or dual writes), backfill it in batches, switch ' +
  'readers over, then drop the old column. Only binary-compatible changes such as varchar(n) to text or to a longer ' +
  'varchar skip the rewrite; they still need the lock briefly.';

export const rule: Rule = {
  id: 'changing-column-type',
  severity: 'warning',
  summary: 'ALTER COLUMN ... TYPE usually rewrites the whole table under an ACCESS EXCLUSIVE lock.',
  examples: {
    bad: 'ALTER TABLE events ALTER COLUMN id TYPE bigint;',
    good: 'ALTER TABLE events ADD COLUMN id_new bigint;',
  },
  check({ file, catalog, report }) {
    const widenings = new Set(
      columnDefinitions(file)
        .filter((column) => column.context === 'alter-type' && column.command)
        .filter((column) => {
          const old = catalog?.tables.get(column.table)?.columns.find((c) => c.name === column.column);
          return old !== undefined && isBinaryCompatibleWidening(old.type, column);
        })
        .map((column) => column.command),
    );
    for (const command of commandsOnExistingTables(file, 'AT_AlterColumnType')) {
      // With the schema known, a binary-compatible widening is a catalog change: no rewrite to warn about.
      if (widenings.has(command)) continue;
      // A type only the running code knows may be the column's own: nothing to say without guessing.
      if (isComputedType(command.cmd.def?.ColumnDef?.typeName)) continue;
      const call = ormCallOf(command.operation);
      // node-pg-migrate's alterColumn only names a type to change it; Sequelize's changeColumn and knex's
      // .alter() restate the whole column, mostly to change NULL or the default with the type unchanged.
      if (!call || call.method === 'alterColumn') {
        report({ span: actionFileSpan(command), message: message(command.cmd.name, command.table), help: HELP });
        continue;
      }
      const restating = file.host?.framework === 'knex' ? '.alter()' : call.method;
      report({
        span: actionFileSpan(command),
        severity: 'info',
        message:
          `${restating} restates ${command.cmd.name ? `column ${command.cmd.name}` : 'the column'}` +
          `${command.table ? ` of ${command.table}` : ''} with ALTER COLUMN ... TYPE under an ACCESS EXCLUSIVE lock: if the type ` +
          'differs from the current one (and is not binary compatible), the whole table is rewritten while reads and ' +
          'writes wait; a NOT NULL in the same call also scans the table under that lock.',
        help: `If only NULL or the default changes, say so with raw SQL (ALTER COLUMN ... SET/DROP NOT NULL, SET DEFAULT). ${HELP}`,
      });
    }
  },
};

function message(column: string | undefined, table: string | undefined): string {
  return (
    `Changing the type of ${column ? `column ${column}` : 'a column'}${table ? ` of ${table}` : ''} takes an ACCESS ` +
    'EXCLUSIVE lock and, unless the old and new types are binary compatible, rewrites the table and rebuilds its ' +
    'indexes while holding it: reads and writes wait for the whole rewrite. Code that reads the column may also ' +
    'break on the new type.'
  );
}
