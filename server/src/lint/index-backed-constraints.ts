import type { PgNode } from '../parse/ast';
import type { MigrationFile } from '../parse/migration';
import { AlterTableCommand, actionTokens } from './alter-table';
import { inSqlFile, makeFix, matchCase, replaceText } from './fix-edits';
import type { Fix } from './rule';
import { closingParen, findToken, writtenName } from './sql-tokens';
import { transactionState } from './transaction-context';

/**
 * UNIQUE and PRIMARY KEY constraints are backed by a unique index. `ADD CONSTRAINT ... UNIQUE (cols)` builds
 * it while holding ACCESS EXCLUSIVE on the table; building it first with CREATE UNIQUE INDEX CONCURRENTLY
 * and then adopting it (`ADD CONSTRAINT name UNIQUE USING INDEX name`) only needs that lock for a moment.
 * The result is the same constraint on the same index name.
 *
 * The fix is only offered where CONCURRENTLY can run: when every statement of the file runs on its own.
 * Options the USING INDEX form cannot carry over (INCLUDE, NULLS NOT DISTINCT, DEFERRABLE, WITH, USING
 * INDEX TABLESPACE) leave the rewrite to the author.
 */
export function buildIndexFirstFix(
  file: MigrationFile,
  command: AlterTableCommand,
  constraint: PgNode,
): Fix | undefined {
  const { statement } = command;
  const kind = constraint.contype === 'CONSTR_PRIMARY' ? 'primary key' : 'unique';
  if (command.actionCount !== 1 || !constraint.conname || !inSqlFile(statement)) return undefined;
  if (
    constraint.including ||
    constraint.options ||
    constraint.indexspace ||
    constraint.deferrable ||
    constraint.nulls_not_distinct
  )
    return undefined;
  if (transactionState(file, command.operation) !== 'autocommit') return undefined;
  const { tokens, first, last } = actionTokens(command);
  const named = findToken(tokens, 'constraint', first);
  const open = findToken(tokens, '(', named);
  const close = open >= 0 ? closingParen(tokens, open) : -1;
  const table = writtenName(statement, command.node.relation?.location);
  if (named < 0 || open < 0 || close < 0 || close !== last || !table) return undefined;
  const name = tokens[named + 1].text;
  const columns = statement.text.slice(tokens[open].start, tokens[close].end);
  const keyword = (text: string) => matchCase(tokens[0].text, text);
  const text =
    `${keyword('create unique index concurrently')} ${name} ${keyword('on')} ${table} ${columns};\n` +
    `${keyword('alter table')} ${table} ${keyword('add constraint')} ${name} ${keyword(`${kind} using index`)} ${name}`;
  return makeFix(
    'Build the index CONCURRENTLY, then add the constraint USING INDEX',
    [replaceText(statement, { start: 0, end: statement.text.length }, text)],
    true,
  );
}
