import type { PgNode } from '../parse/ast';
import type { MigrationFile } from '../parse/migration';
import { AlterTableCommand, actionTokens } from './alter-table';
import { inSqlFile, insertText, makeFix, matchCase } from './fix-edits';
import type { Fix } from './rule';
import { findToken, writtenName } from './sql-tokens';
import { transactionState } from './transaction-context';

/**
 * `ADD CONSTRAINT ... NOT VALID` only takes its lock for a moment (new rows are checked from then on);
 * `VALIDATE CONSTRAINT` then scans the existing rows under SHARE UPDATE EXCLUSIVE, which lets reads and
 * writes continue. The split only helps when the two run in separate transactions: in one, the first lock
 * is held until commit and the scan blocks everything anyway.
 *
 * The fix adds NOT VALID and, when every statement of the file runs on its own, the VALIDATE right after
 * (same end state: safe). Inside a transaction it only adds NOT VALID, and the VALIDATE belongs in the next
 * migration, so the constraint stays unvalidated until then: not applied by --fix.
 */
export function notValidFix(file: MigrationFile, command: AlterTableCommand, constraint: PgNode): Fix | undefined {
  const { statement } = command;
  if (command.actionCount !== 1 || !constraint.conname || !inSqlFile(statement)) return undefined;
  const { tokens, first, last } = actionTokens(command);
  const named = findToken(tokens, 'constraint', first);
  const table = writtenName(statement, command.node.relation?.location);
  if (named < 0 || named >= last || !table) return undefined;
  const keyword = (text: string) => matchCase(tokens[0].text, text);
  const notValid = ` ${keyword('not valid')}`;
  const end = tokens[last].end;
  if (transactionState(file, command.operation) === 'autocommit') {
    const validate = `;\n${keyword('alter table')} ${table} ${keyword('validate constraint')} ${tokens[named + 1].text}`;
    return makeFix('Add NOT VALID, then VALIDATE CONSTRAINT', [insertText(statement, end, notValid + validate)], true);
  }
  return makeFix('Add NOT VALID (validate in a later migration)', [insertText(statement, end, notValid)], false);
}
