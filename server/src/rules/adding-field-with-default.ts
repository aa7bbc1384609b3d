import { actionFileSpan } from '../lint/alter-table';
import { ColumnDefinition, builtinTypeName, columnDefinitions, typeFileSpan } from '../lint/column-types';
import { constraintTokens, constraintsOf, findConstraint } from '../lint/constraints';
import { firstVolatileCall } from '../lint/function-volatility';
import { newTables } from '../lint/new-tables';
import { Finding, Rule } from '../lint/rule';
import { tokenFileSpan } from '../lint/sql-tokens';
import type { PgNode } from '../parse/ast';
import type { MigrationFile } from '../parse/migration';

const HELP =
  'Add the column without a default (or with a constant one), set the default for new rows with ALTER COLUMN ... SET ' +
  'DEFAULT, backfill existing rows in batches, and only then add NOT NULL if needed.';

export const rule: Rule = {
  id: 'adding-field-with-default',
  severity: 'warning',
  summary:
    'ADD COLUMN with a volatile default, a stored generated value or (before PostgreSQL 11) any default rewrites the table.',
  examples: {
    bad: 'ALTER TABLE orders ADD COLUMN reference uuid DEFAULT gen_random_uuid();',
    good: "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';",
  },
  check({ file, config, report }) {
    const created = newTables(file);
    for (const column of columnDefinitions(file)) {
      if (column.context !== 'add-column' || created.isNew(column.table, column.operation)) continue;
      const rewrite = rewriteCause(column, config.pgVersion, file);
      if (!rewrite) continue;
      report({
        span: rewrite.span,
        message:
          `Adding column ${column.column} rewrites every row of ${column.table} and rebuilds its indexes while holding an ACCESS ` +
          `EXCLUSIVE lock, so reads and writes wait for the whole rewrite: ${rewrite.cause}.`,
        help: HELP,
      });
    }
  },
};

interface Rewrite {
  cause: string;
  span: Finding['span'];
}

/** Why adding this column rewrites the table, if it does. */
function rewriteCause(column: ColumnDefinition, pgVersion: number, file: MigrationFile): Rewrite | undefined {
  const { statement, def } = column;
  const siblings = constraintsOf(def);
  const spanOf = (constraint: PgNode) => {
    const tokens = constraintTokens(statement, constraint, siblings);
    return tokens
      ? tokenFileSpan(statement, tokens.first, tokens.last)
      : column.command
        ? actionFileSpan(column.command)
        : statement.fileSpan;
  };
  const generated = findConstraint(def, 'CONSTR_GENERATED');
  // PostgreSQL 18's virtual generated columns are computed on read: only STORED ones are written to every row.
  if (generated && generated.generated_kind !== 'v')
    return {
      cause: 'a stored generated column is computed and written for each existing row',
      span: spanOf(generated),
    };
  const identity = findConstraint(def, 'CONSTR_IDENTITY');
  if (identity) return { cause: 'an identity column draws a new value for each existing row', span: spanOf(identity) };
  const type = builtinTypeName(def.typeName) ?? '';
  if (type.includes('serial'))
    return { cause: `a ${type} column draws nextval() for each existing row`, span: typeFileSpan(column) };
  const defaulted = findConstraint(def, 'CONSTR_DEFAULT');
  if (!defaulted) return undefined;
  // From PostgreSQL 11 a non-volatile default is evaluated once and stored in the catalog; rows are untouched.
  if (pgVersion < 11)
    return {
      cause: `before PostgreSQL 11 (pgVersion is ${pgVersion}) every default is written into each existing row`,
      span: spanOf(defaulted),
    };
  const volatile = firstVolatileCall(defaulted.raw_expr, file);
  if (!volatile) return undefined;
  return {
    cause: `its default calls ${volatile.name}(), which is not known to be IMMUTABLE or STABLE, so it is evaluated once per existing row`,
    span: spanOf(defaulted),
  };
}
