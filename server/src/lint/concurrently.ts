import type { MigrationFile, Operation } from '../parse/migration';
import type { Statement } from '../parse/sql';
import { insertText, makeFix, matchCase } from './fix-edits';
import type { Fix } from './rule';
import { statementTokens } from './sql-tokens';
import { TransactionState, transactionState } from './transaction-context';

/**
 * The CONCURRENTLY forms (CREATE INDEX, DROP INDEX, REINDEX, DETACH PARTITION) trade the blocking lock for
 * a slower build that waits for running transactions, and PostgreSQL refuses them inside a transaction
 * block (SQLSTATE 25001). Adding the keyword is therefore only a safe fix for a statement that already runs
 * on its own; inside a transaction it would turn a slow migration into a failing one, so no fix is offered.
 */
export function concurrentlyFix(file: MigrationFile, operation: Operation, statement: Statement, afterToken: number): Fix | undefined {
  const state = transactionState(file, operation);
  const token = statementTokens(statement)[afterToken];
  if (state === 'transaction' || !token) return undefined;
  return makeFix('Add CONCURRENTLY', [insertText(statement, token.end, ` ${matchCase(token.text, 'concurrently')}`)], state === 'autocommit');
}

/** What to do instead, depending on whether the statement can run CONCURRENTLY where it is. */
export function concurrentlyHelp(file: MigrationFile, operation: Operation, form: string): string {
  const state: TransactionState = transactionState(file, operation);
  const outside =
    state === 'transaction'
      ? ' It cannot run inside a transaction block: put it in a migration of its own that the runner does not wrap in a transaction.'
      : state === 'unknown'
        ? ' Make sure the migration runner does not wrap this file in a transaction, or it fails with "cannot run inside a transaction block".'
        : '';
  return `Use ${form}.${outside}`;
}
