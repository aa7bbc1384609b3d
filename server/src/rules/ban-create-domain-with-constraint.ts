import { nameList } from '../parse/ast';
import { constraintTokens, constraintsOf } from '../lint/constraints';
import { Rule } from '../lint/rule';
import { tokenFileSpan } from '../lint/sql-tokens';
import { sqlStatements } from '../lint/statements';

export const rule: Rule = {
  id: 'ban-create-domain-with-constraint',
  severity: 'warning',
  summary:
    'A domain with a CHECK or NOT NULL constraint cannot be changed later without re-checking every column using it.',
  examples: {
    bad: 'CREATE DOMAIN positive_amount AS numeric CHECK (VALUE > 0);',
    good: 'CREATE TABLE payments (amount numeric CONSTRAINT amount_positive CHECK (amount > 0));',
  },
  check({ file, report }) {
    for (const { statement, node } of sqlStatements(file, 'CreateDomainStmt')) {
      const constraints = constraintsOf(node).filter(
        (c) => c.contype === 'CONSTR_CHECK' || c.contype === 'CONSTR_NOTNULL',
      );
      for (const constraint of constraints) {
        const tokens = constraintTokens(statement, constraint, constraintsOf(node));
        report({
          span: tokens ? tokenFileSpan(statement, tokens.first, tokens.last) : statement.fileSpan,
          message:
            `Domain ${nameList(node.domainname).join('.')} carries a constraint: every later change to it (or converting a ` +
            'column to or from the domain) re-checks or rewrites every table that uses it under lock, and PostgreSQL ' +
            'cannot reason about domain constraints to skip that work.',
          help: 'Create the domain without constraints (or use the base type) and put CHECK constraints on the columns themselves.',
        });
      }
    }
  },
};
