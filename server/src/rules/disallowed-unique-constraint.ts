import { constraintsAddedToExistingTables, usesExistingIndex } from '../lint/constraints';
import { buildIndexFirstFix } from '../lint/index-backed-constraints';
import { Rule } from '../lint/rule';

const HELP =
  'Build the index first with CREATE UNIQUE INDEX CONCURRENTLY, then ALTER TABLE ... ADD CONSTRAINT name UNIQUE USING ' +
  'INDEX name, which only needs the lock for a moment.';

export const rule: Rule = {
  id: 'disallowed-unique-constraint',
  severity: 'warning',
  summary: 'Adding a UNIQUE constraint builds its index while blocking reads and writes to the table.',
  fixable: true,
  examples: {
    bad: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
    good:
      '-- preflight-transaction: none\nCREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\n' +
      'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;',
  },
  check({ file, report }) {
    for (const { command, constraint, inline, span } of constraintsAddedToExistingTables(file, 'CONSTR_UNIQUE')) {
      if (usesExistingIndex(constraint)) continue;
      report({
        span,
        message:
          `Adding a UNIQUE constraint builds its unique index while holding an ACCESS EXCLUSIVE lock on ${command.table}: ` +
          'reads and writes wait for the whole index build.',
        help: inline ? `Add the column without UNIQUE. ${HELP}` : HELP,
        fix: inline ? undefined : buildIndexFirstFix(file, command, constraint),
      });
    }
  },
};
