import { concurrentlyFix, concurrentlyHelp } from '../lint/concurrently';
import { newTables } from '../lint/new-tables';
import { ormCallOf, ormSupportsConcurrently } from '../lint/orm-calls';
import { Rule } from '../lint/rule';
import { findToken, statementTokens, tokenFileSpan } from '../lint/sql-tokens';
import { sqlStatements } from '../lint/statements';
import { qualifiedName } from '../parse/ast';

export const rule: Rule = {
  id: 'require-concurrent-index-creation',
  severity: 'warning',
  summary: 'CREATE INDEX without CONCURRENTLY blocks all writes to the table for the whole index build.',
  fixable: true,
  examples: {
    bad: 'CREATE INDEX orders_customer_idx ON orders (customer_id);',
    good: '-- preflight-transaction: none\nCREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);\nSELECT 1;',
  },
  check({ file, report }) {
    const created = newTables(file);
    for (const { statement, node, operation } of sqlStatements(file, 'IndexStmt')) {
      const table = qualifiedName(node.relation);
      if (node.concurrent || created.isNew(table, operation)) continue;
      const tokens = statementTokens(statement);
      const index = findToken(tokens, 'index');
      const on = findToken(tokens, 'on', index);
      report({
        span: index >= 0 && on > 0 ? tokenFileSpan(statement, 0, on - 1) : statement.fileSpan,
        message: message(table),
        help: ormCallOf(operation)
          ? ormSupportsConcurrently(file)
            ? 'Pass `concurrently: true` in the index options, in a migration that does not run in a transaction.'
            : 'Create the index with raw SQL (CREATE INDEX CONCURRENTLY ...) in a migration that does not run in a transaction.'
          : concurrentlyHelp(file, operation, 'CREATE INDEX CONCURRENTLY, which lets writes continue while it builds'),
        fix: index >= 0 ? concurrentlyFix(file, operation, statement, index) : undefined,
      });
    }
  },
};

function message(table: string | undefined): string {
  return (
    `Building this index takes a SHARE lock on ${table ?? 'the table'} until the build finishes: every INSERT, UPDATE and ` +
    'DELETE on it waits (minutes on a large table), and so do the requests queued behind them. Reads continue.'
  );
}
