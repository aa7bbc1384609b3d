import { concurrentlyFix, concurrentlyHelp } from '../lint/concurrently';
import { reindexIsConcurrent } from '../lint/locks';
import { Rule } from '../lint/rule';
import { findToken, statementTokens } from '../lint/sql-tokens';
import { sqlStatements } from '../lint/statements';

const TARGET_KEYWORDS = ['index', 'table', 'schema', 'database'];

export const rule: Rule = {
  id: 'require-concurrent-reindex',
  severity: 'warning',
  summary: 'REINDEX without CONCURRENTLY blocks writes to the table and every query that uses the index.',
  fixable: true,
  examples: {
    bad: 'REINDEX INDEX orders_customer_idx;',
    good: '-- preflight-transaction: none\nREINDEX INDEX CONCURRENTLY orders_customer_idx;\nSELECT 1;',
  },
  check({ file, config, report }) {
    for (const { statement, node, operation } of sqlStatements(file, 'ReindexStmt')) {
      // REINDEX SYSTEM has no CONCURRENTLY form.
      if (node.kind === 'REINDEX_OBJECT_SYSTEM' || reindexIsConcurrent(node)) continue;
      const tokens = statementTokens(statement);
      const target = findToken(tokens, TARGET_KEYWORDS);
      const available = config.pgVersion >= 12;
      report({
        span: statement.fileSpan,
        message:
          'REINDEX locks out writes to the table and takes an ACCESS EXCLUSIVE lock on each index it rebuilds: every query ' +
          'that would use the index waits until the rebuild is done.',
        help: available
          ? concurrentlyHelp(
              file,
              operation,
              'REINDEX ... CONCURRENTLY (PostgreSQL 12+), which builds a new copy alongside the old one',
            )
          : 'Before PostgreSQL 12 there is no REINDEX CONCURRENTLY: build a replacement with CREATE INDEX CONCURRENTLY, then drop the old index.',
        fix: available && target >= 0 ? concurrentlyFix(file, operation, statement, target) : undefined,
      });
    }
  },
};
