import { AlterTableCommand, actionFileSpan, alterTableCommands } from '../lint/alter-table';
import { isNotValid, notNullCheckColumn } from '../lint/constraints';
import { inSqlFile, makeFix, matchCase, replaceText } from '../lint/fix-edits';
import { newTables } from '../lint/new-tables';
import { Fix, Rule } from '../lint/rule';
import { statementTokens, writtenName } from '../lint/sql-tokens';
import { transactionState } from '../lint/transaction-context';
import type { MigrationFile } from '../parse/migration';

/** NAMEDATALEN - 1: longer names are truncated by PostgreSQL. */
const MAX_NAME_BYTES = 63;

export const rule: Rule = {
  id: 'adding-not-nullable-field',
  severity: 'warning',
  summary: 'SET NOT NULL scans the whole table for NULLs while blocking reads and writes.',
  fixable: true,
  examples: {
    bad: 'ALTER TABLE recipes ALTER COLUMN view_count SET NOT NULL;',
    good:
      'ALTER TABLE recipes ADD CONSTRAINT view_count_not_null CHECK (view_count IS NOT NULL) NOT VALID;\n' +
      '-- in a later migration:\nALTER TABLE recipes VALIDATE CONSTRAINT view_count_not_null;',
  },
  check({ file, config, catalogAt, report }) {
    const created = newTables(file);
    // From PostgreSQL 12, SET NOT NULL skips the scan when a validated CHECK (col IS NOT NULL) proves it.
    const proven = config.pgVersion >= 12;
    const pendingChecks = new Map<string, string>();
    const validatedColumns = new Set<string>();
    const validatedElsewhere = new Set<string>();
    for (const command of alterTableCommands(file)) {
      const constraint = command.cmd.def?.Constraint;
      const column = constraint ? notNullCheckColumn(constraint) : undefined;
      if (command.cmd.subtype === 'AT_AddConstraint' && constraint?.conname && column) {
        const key = `${command.table}.${column}`;
        if (isNotValid(constraint)) pendingChecks.set(`${command.table}.${constraint.conname}`, key);
        else validatedColumns.add(key);
      } else if (command.cmd.subtype === 'AT_ValidateConstraint') {
        const key = pendingChecks.get(`${command.table}.${command.cmd.name}`);
        // A constraint added by an earlier migration: assume it is the NOT NULL check, as the pattern goes.
        if (key) validatedColumns.add(key);
        else validatedElsewhere.add(command.table);
      } else if (command.cmd.subtype === 'AT_SetNotNull') {
        if (created.isNew(command.table, command.operation)) continue;
        const key = `${command.table}.${command.cmd.name}`;
        if (proven && (validatedColumns.has(key) || validatedElsewhere.has(command.table))) continue;
        // Already NOT NULL (an ORM's changeColumn restates `allowNull: false`): PostgreSQL does nothing, scans nothing.
        const column = catalogAt(command.operation)
          .tables.get(command.table)
          ?.columns.find((c) => c.name === command.cmd.name);
        if (column && !column.nullable) continue;
        report({
          span: actionFileSpan(command),
          message:
            `SET NOT NULL on ${command.cmd.name} takes an ACCESS EXCLUSIVE lock on ${command.table} and keeps it while every ` +
            'row is checked for NULLs: reads and writes wait for the whole scan (and the statement fails if one is found).',
          help: proven
            ? 'Add CHECK (column IS NOT NULL) NOT VALID, backfill, VALIDATE CONSTRAINT in a separate transaction (it does not ' +
              'block reads or writes), then SET NOT NULL, which skips the scan, and drop the CHECK.'
            : 'Before PostgreSQL 12 SET NOT NULL always scans: use a validated CHECK (column IS NOT NULL) NOT VALID constraint instead.',
          fix: proven ? checkFirstFix(file, command) : undefined,
        });
      }
    }
  },
};

/**
 * Rewrites `ALTER TABLE t ALTER COLUMN c SET NOT NULL` as the four steps that reach the same end state
 * without a blocking scan: offered where each statement runs in its own transaction, so that the
 * VALIDATE really runs after the ADD's lock was released.
 */
function checkFirstFix(file: MigrationFile, command: AlterTableCommand): Fix | undefined {
  const { statement } = command;
  if (command.actionCount !== 1 || !inSqlFile(statement) || transactionState(file, command.operation) !== 'autocommit')
    return undefined;
  const table = writtenName(statement, command.node.relation?.location);
  if (!table) return undefined;
  const tokens = statementTokens(statement);
  const column = quoteIfNeeded(command.cmd.name);
  // Not `<table>_<column>_not_null`: PostgreSQL 18 gives that name to the NOT NULL constraint itself.
  const name = truncate(`${command.node.relation?.relname}_${command.cmd.name}_is_not_null`);
  const keyword = (text: string) => matchCase(tokens[0].text, text);
  const alter = `${keyword('alter table')} ${table}`;
  const text = [
    `${alter} ${keyword('add constraint')} ${name} ${keyword('check')} (${column} ${keyword('is not null')}) ${keyword('not valid')}`,
    `${alter} ${keyword('validate constraint')} ${name}`,
    statement.text,
    `${alter} ${keyword('drop constraint')} ${name}`,
  ].join(';\n');
  return makeFix(
    'Check with a NOT VALID constraint first',
    [replaceText(statement, { start: 0, end: statement.text.length }, text)],
    true,
  );
}

function quoteIfNeeded(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function truncate(name: string): string {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length <= MAX_NAME_BYTES) return quoteIfNeeded(name);
  return quoteIfNeeded(
    bytes
      .subarray(0, MAX_NAME_BYTES)
      .toString('utf8')
      .replace(/\uFFFD+$/, ''),
  );
}
