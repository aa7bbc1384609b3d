import { Rule } from '../lint/rule';
import { findToken, statementTokens, tokenFileSpan } from '../lint/sql-tokens';
import { sqlStatements } from '../lint/statements';
import { nameList } from '../parse/ast';

export const rule: Rule = {
  id: 'require-enum-value-ordering',
  severity: 'info',
  summary: "ALTER TYPE ... ADD VALUE without BEFORE or AFTER puts the new value last in the enum's sort order.",
  examples: {
    bad: "ALTER TYPE order_status ADD VALUE 'on_hold';",
    good: "ALTER TYPE order_status ADD VALUE 'on_hold' BEFORE 'shipped';",
  },
  check({ file, report }) {
    for (const { statement, node } of sqlStatements(file, 'AlterEnumStmt')) {
      if (!node.newVal || node.oldVal || node.newValNeighbor) continue;
      const tokens = statementTokens(statement);
      const add = findToken(tokens, 'add');
      const value = findToken(tokens, `'${node.newVal}'`.toLowerCase(), add);
      report({
        span: add >= 0 && value >= 0 ? tokenFileSpan(statement, add, value) : statement.fileSpan,
        message:
          `'${node.newVal}' is appended after every existing value of ${nameList(node.typeName).join('.')}: enums sort ` +
          "by declaration order, so comparisons (`status < 'shipped'`), ORDER BY and range checks treat it as the " +
          'greatest value, whatever it means.',
        help: "Say where it belongs: ADD VALUE 'x' BEFORE 'y' or AFTER 'y' (or add it last on purpose and silence this finding).",
      });
    }
  },
};
