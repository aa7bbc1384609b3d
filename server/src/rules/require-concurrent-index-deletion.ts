import { concurrentlyFix, concurrentlyHelp } from '../lint/concurrently';
import { ormCallOf, ormSupportsConcurrently } from '../lint/orm-calls';
import { Rule } from '../lint/rule';
import { findToken, statementTokens } from '../lint/sql-tokens';
import { droppedObjects, sqlStatements } from '../lint/statements';
import { newTables } from '../lint/new-tables';

export const rule: Rule = {
  id: 'require-concurrent-index-deletion',
  severity: 'warning',
  summary: "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table.",
  fixable: true,
  examples: {
    bad: 'DROP INDEX orders_customer_idx;',
    good: '-- preflight-transaction: none\nDROP INDEX CONCURRENTLY orders_customer_idx;\nSELECT 1;',
  },
  check({ file, report }) {
    // Indexes this migration built itself are new: no query depends on them yet.
    const created = newTables(file);
    for (const found of sqlStatements(file, 'DropStmt')) {
      const { statement, node, operation } = found;
      if (node.removeType !== 'OBJECT_INDEX' || node.concurrent) continue;
      const objects = droppedObjects(found).filter((object) => !created.isNewIndex(object.name, operation));
      if (objects.length === 0) continue;
      // DROP INDEX CONCURRENTLY takes exactly one index and no CASCADE.
      const single = droppedObjects(found).length === 1 && node.behavior !== 'DROP_CASCADE';
      const index = findToken(statementTokens(statement), 'index');
      for (const object of objects) {
        report({
          span: object.span,
          message:
            `Dropping index ${object.name} takes an ACCESS EXCLUSIVE lock on its table: reads and writes wait for it, and ` +
            'while it waits for a long-running query to finish, every query queued behind it waits too.',
          help: ormCallOf(operation)
            ? ormSupportsConcurrently(file)
              ? 'Pass `concurrently: true`, in a migration that does not run in a transaction.'
              : 'Drop it with raw SQL (DROP INDEX CONCURRENTLY ...) in a migration that does not run in a transaction.'
            : concurrentlyHelp(file, operation, 'DROP INDEX CONCURRENTLY (one index per statement, without CASCADE)'),
          fix: single && index >= 0 ? concurrentlyFix(file, operation, statement, index) : undefined,
        });
      }
    }
  },
};
