import { fileSpanIn, findToken, statementTokens } from '../lint/sql-tokens';
import { makeFix, replaceText } from '../lint/fix-edits';
import { Rule } from '../lint/rule';
import { sqlStatements } from '../lint/statements';

export const rule: Rule = {
  id: 'ban-truncate-cascade',
  severity: 'error',
  summary: 'TRUNCATE ... CASCADE also empties every table that references the truncated ones, recursively.',
  fixable: true,
  examples: { bad: 'TRUNCATE accounts CASCADE;', good: 'TRUNCATE accounts, account_members;' },
  check({ file, report }) {
    for (const { statement, node } of sqlStatements(file, 'TruncateStmt')) {
      if (node.behavior !== 'DROP_CASCADE') continue;
      const tokens = statementTokens(statement);
      const cascade = findToken(tokens, 'cascade');
      if (cascade < 0) continue;
      const removal = { start: tokens[cascade - 1].end, end: tokens[cascade].end };
      report({
        span: fileSpanIn(statement, tokens[cascade]),
        message:
          'CASCADE also truncates every table with a foreign key to these tables, and the tables referencing those, ' +
          'silently: rows other features or clients created are deleted too (incident 3: a sync wiped the rows mobile ' +
          'clients had made).',
        help: 'Remove CASCADE and name every table you mean to empty; TRUNCATE then fails instead of deleting more than you listed.',
        // Without CASCADE the statement fails when other tables reference these: it changes what runs, so it is not applied by --fix.
        fix: makeFix('Remove CASCADE', [replaceText(statement, removal, '')], false),
      });
    }
  },
};
