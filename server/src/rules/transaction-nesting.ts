import { makeFix, removeStatement } from '../lint/fix-edits';
import { Rule } from '../lint/rule';
import type { Operation } from '../parse/migration';

export const rule: Rule = {
  id: 'transaction-nesting',
  severity: 'warning',
  summary: 'BEGIN inside an open transaction, or COMMIT/ROLLBACK of a transaction the migration runner opened.',
  fixable: true,
  examples: {
    bad: 'ALTER TABLE users ADD COLUMN nickname text;\nCOMMIT;\nUPDATE users SET nickname = name;',
    good: 'BEGIN;\nALTER TABLE users ADD COLUMN nickname text;\nCOMMIT;',
  },
  check({ file, report }) {
    const inBlock = new Set<Operation>();
    for (const block of file.transactions) {
      block.operations.forEach((operation, index) => {
        inBlock.add(operation);
        const action = operation.transactionAction;
        if (!operation.statement || !action) return;
        // A BEGIN first and a COMMIT last in a file the runner also wraps are harmless (both only warn): many
        // projects write .sql migrations that way so that they also run with plain psql.
        if (action === 'begin' && index > 0) {
          report({
            span: operation.fileSpan,
            message: block.implicit
              ? 'The migration runner already runs this file in a transaction: this BEGIN does nothing but warn ("there is ' +
                'already a transaction in progress"), and a later COMMIT here would end the runner\'s transaction early.'
              : 'A transaction is already open: PostgreSQL has no nested transactions, so this BEGIN only warns, and the ' +
                'first COMMIT commits everything since the earlier BEGIN.',
            help: block.implicit
              ? 'Remove BEGIN/COMMIT and let the runner wrap the migration, or tell Preflight (and the runner) that this file manages its own transaction: `-- preflight-transaction: none`.'
              : 'Remove this BEGIN; use SAVEPOINT for a part that must be able to roll back on its own.',
            // Removing a BEGIN that PostgreSQL ignores changes nothing.
            fix: makeFix('Remove the redundant BEGIN', [removeStatement(file.text, operation.statement)], true),
          });
        } else if (
          block.implicit &&
          (action === 'rollback' || (action === 'commit' && !endsSection(file.operations, operation)))
        ) {
          report({
            span: operation.fileSpan,
            message:
              action === 'commit'
                ? 'This COMMIT ends the transaction the migration runner opened: the statements after it run outside it (in ' +
                  'autocommit, or in a transaction a later BEGIN opens), so a failure later leaves the migration half applied ' +
                  'and unrecorded.'
                : "This ROLLBACK discards the runner's transaction, including every statement before it, and the runner " +
                  'then records the migration as applied.',
            help: 'Split the migration into files that each run in one transaction, or mark this file `-- preflight-transaction: none` and manage BEGIN/COMMIT yourself.',
          });
        }
      });
    }
    for (const operation of file.operations) {
      const action = operation.transactionAction;
      if (inBlock.has(operation) || !operation.statement || (action !== 'commit' && action !== 'rollback')) continue;
      report({
        span: operation.fileSpan,
        message: `No transaction is open here: this ${action.toUpperCase()} does nothing but warn ("there is no transaction in progress"); the statements before it were already committed one by one.`,
        help: 'BEGIN the transaction where it should start, or remove this statement.',
        fix: makeFix(
          `Remove the stray ${action.toUpperCase()}`,
          [removeStatement(file.text, operation.statement)],
          true,
        ),
      });
    }
  },
};

/**
 * Whether nothing but transaction control follows in the same `up`/`down` section: a COMMIT at the end, or
 * `COMMIT; BEGIN;` there (which hands the runner a fresh transaction to commit), leaves nothing half applied.
 */
function endsSection(all: readonly Operation[], operation: Operation): boolean {
  return !all
    .slice(all.indexOf(operation) + 1)
    .some((other) => other.section === operation.section && other.effect !== 'transaction');
}
