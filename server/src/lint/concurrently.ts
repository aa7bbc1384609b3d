import type { MigrationFile, Operation } from '../parse/migration';
import type { Statement } from '../parse/sql';
import { insertText, makeFix, matchCase } from './fix-edits';
import { statementTokens } from './sql-tokens';
import type { Fix, TextEdit } from './rule';
import { TransactionState, transactionBlockOf, transactionState } from './transaction-context';

/**
 * The CONCURRENTLY forms (CREATE INDEX, DROP INDEX, REINDEX, DETACH PARTITION) trade the blocking lock for
 * a slower build that waits for running transactions, and PostgreSQL refuses them inside a transaction
 * block (SQLSTATE 25001). Adding the keyword is therefore only a safe fix for a statement that already runs
 * on its own; inside a transaction it would turn a slow migration into a failing one, so no fix is offered.
 */
export function concurrentlyFix(
  file: MigrationFile,
  operation: Operation,
  statement: Statement,
  afterToken: number,
): Fix | undefined {
  const state = transactionState(file, operation);
  const token = statementTokens(statement)[afterToken];
  if (!token) return undefined;
  const keyword = insertText(statement, token.end, ` ${matchCase(token.text, 'concurrently')}`);
  if (state !== 'transaction') return makeFix('Add CONCURRENTLY', [keyword], state === 'autocommit');
  const runnerSwitch = noTransactionSwitch(file, operation);
  return (
    runnerSwitch && makeFix(`Add CONCURRENTLY and \`${runnerSwitch.newText.trim()}\``, [keyword, runnerSwitch], false)
  );
}

/**
 * The edit that turns the runner's transaction off for the section `operation` is in (`-- +goose NO TRANSACTION`,
 * dbmate's `transaction:false`, sql-migrate's `notransaction`), when the runner's own transaction is the only one
 * around it and every section the switch affects has this one statement: taking several statements out of their
 * transaction would change what a failure half-way leaves behind, which is not for a quick fix to decide.
 */
export function noTransactionSwitch(file: MigrationFile, operation: Operation): TextEdit | undefined {
  const unit = file.units.find(
    (u) => u.span.start <= operation.fileSpan.start && operation.fileSpan.start < u.span.end,
  );
  if (!unit || !file.runner || operation.executedBy || !transactionBlockOf(file, operation)?.wrapsSection)
    return undefined;
  const runnerSwitch = file.runner.runner.noTransactionSwitch(unit, file.units);
  if (!runnerSwitch) return undefined;
  const statementsIn = (span: { start: number; end: number }) =>
    file.operations.filter(
      (o) => o.effect !== 'transaction' && span.start <= o.fileSpan.start && o.fileSpan.start < span.end,
    ).length;
  if (runnerSwitch.affects.some((affected) => statementsIn(affected.span) > 1)) return undefined;
  return { span: { start: runnerSwitch.offset, end: runnerSwitch.offset }, newText: runnerSwitch.text };
}

/**
 * What the file's runner says to do when a statement cannot run in its transaction and it has no in-file switch: the
 * file to create beside the migration (Flyway's `.sql.conf`, Diesel's `metadata.toml`), or that there is no switch
 * (Drizzle, Prisma, Supabase). Only for a runner the config, annotations or files around the migration name.
 */
export function runnerAdvice(file: MigrationFile): string | undefined {
  const choice = file.runner;
  if (!choice || choice.source === 'default' || choice.source === 'name') return undefined;
  return choice.runner.noSwitchAdvice?.(file.path, choice.directory);
}

/** What to do instead, depending on whether the statement can run CONCURRENTLY where it is. */
export function concurrentlyHelp(file: MigrationFile, operation: Operation, form: string): string {
  const state: TransactionState = transactionState(file, operation);
  const outside =
    state === 'transaction'
      ? ` It cannot run inside a transaction block: ${runnerAdvice(file) ?? 'put it in a migration of its own that the runner does not wrap in a transaction.'}`
      : state === 'unknown'
        ? ' Make sure the migration runner does not wrap this file in a transaction, or it fails with "cannot run inside a transaction block".'
        : '';
  return `Use ${form}.${outside}`;
}
