import { alterTableCommands } from '../lint/alter-table';
import { noTransactionSwitch, runnerAdvice } from '../lint/concurrently';
import { makeFix } from '../lint/fix-edits';
import { reindexIsConcurrent } from '../lint/locks';
import { Rule } from '../lint/rule';
import { findToken, statementTokens, tokenFileSpan } from '../lint/sql-tokens';
import { SqlStatement, sqlStatements } from '../lint/statements';
import { transactionState } from '../lint/transaction-context';

export const rule: Rule = {
  id: 'ban-concurrent-index-creation-in-transaction',
  severity: 'error',
  summary: 'CREATE INDEX CONCURRENTLY (and the other CONCURRENTLY forms) fail inside a transaction block.',
  examples: {
    bad: 'BEGIN;\nCREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);\nCOMMIT;',
    good: '-- preflight-transaction: none\nCREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);\nSELECT 1;',
  },
  check({ file, report }) {
    const concurrent: SqlStatement[] = [
      ...sqlStatements(file, 'IndexStmt', 'DropStmt', 'ReindexStmt').filter(({ statement, node }) =>
        statement.type === 'ReindexStmt' ? reindexIsConcurrent(node) : Boolean(node.concurrent),
      ),
      ...alterTableCommands(file).filter((command) => command.cmd.def?.PartitionCmd?.concurrent),
    ];
    const seen = new Set<SqlStatement['statement']>();
    for (const { statement, operation } of concurrent) {
      if (seen.has(statement) || transactionState(file, operation) !== 'transaction') continue;
      seen.add(statement);
      const keyword = findToken(statementTokens(statement), 'concurrently');
      const runnerSwitch = noTransactionSwitch(file, operation);
      report({
        span: keyword >= 0 ? tokenFileSpan(statement, keyword) : statement.fileSpan,
        message:
          "This statement runs inside a transaction block (an explicit BEGIN, the runner's transaction around a migration " +
          '(of several statements, or any its runner wraps), a DO block, or one query string holding several statements), where PostgreSQL ' +
          'refuses CONCURRENTLY: the migration fails here with "cannot run inside a transaction block" (SQLSTATE 25001).',
        help:
          runnerAdvice(file) ??
          'Move it to a migration of its own that runs outside a transaction (for .sql files: `-- preflight-transaction: none` ' +
            "and the runner's equivalent, e.g. knex `config.transaction = false`, node-pg-migrate `pgm.noTransaction()`, " +
            'goose `-- +goose NO TRANSACTION`, dbmate `-- migrate:up transaction:false`, sql-migrate `-- +migrate Up notransaction`; ' +
            'golang-migrate sends a file as one query: give the statement a file of its own).',
        fix: runnerSwitch && makeFix(`Add \`${runnerSwitch.newText.trim()}\``, [runnerSwitch], false),
      });
    }
  },
};
