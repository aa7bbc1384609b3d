import { nameList } from '../parse/ast';
import { constraintTokens } from '../lint/constraints';
import { Rule } from '../lint/rule';
import { tokenFileSpan } from '../lint/sql-tokens';
import { sqlStatements } from '../lint/statements';

export const rule: Rule = {
  id: 'ban-alter-domain-with-add-constraint',
  severity: 'warning',
  summary: 'ALTER DOMAIN ... ADD CONSTRAINT checks every column of every table that uses the domain, under lock.',
  examples: {
    bad: 'ALTER DOMAIN positive_amount ADD CONSTRAINT amount_positive CHECK (VALUE > 0);',
    good: 'ALTER TABLE payments ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID;',
  },
  check({ file, report }) {
    for (const { statement, node } of sqlStatements(file, 'AlterDomainStmt')) {
      const constraint = node.def?.Constraint;
      if (node.subtype !== 'C' || !constraint) continue;
      const tokens = constraintTokens(statement, constraint);
      report({
        span: tokens ? tokenFileSpan(statement, tokens.first, tokens.last) : statement.fileSpan,
        message:
          `Adding a constraint to domain ${nameList(node.typeName).join('.')} scans every table with a column of that type ` +
          "while holding locks that block their writes, and the domain's constraints cannot be changed online later " +
          '(any change re-checks all of those columns again).',
        help: 'Put the constraint on the columns instead (ALTER TABLE ... ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE CONSTRAINT).',
      });
    }
  },
};
