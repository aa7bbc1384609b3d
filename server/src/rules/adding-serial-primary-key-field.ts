import { constraintsAddedToExistingTables, usesExistingIndex } from '../lint/constraints';
import { buildIndexFirstFix } from '../lint/index-backed-constraints';
import { Rule } from '../lint/rule';

const HELP =
  'Build the index first with CREATE UNIQUE INDEX CONCURRENTLY (on NOT NULL columns), then ALTER TABLE ... ADD ' +
  'CONSTRAINT name PRIMARY KEY USING INDEX name, which only needs the lock for a moment.';

export const rule: Rule = {
  id: 'adding-serial-primary-key-field',
  severity: 'warning',
  summary: 'Adding a primary key builds its index while blocking reads and writes to the table.',
  fixable: true,
  examples: {
    bad: 'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id);',
    good:
      '-- preflight-transaction: none\nCREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (id);\n' +
      'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;',
  },
  check({ file, report }) {
    for (const { command, constraint, inline, span } of constraintsAddedToExistingTables(file, 'CONSTR_PRIMARY')) {
      if (usesExistingIndex(constraint)) continue;
      const message =
        'Adding a primary key builds its unique index (and checks its columns for NULLs) while holding an ACCESS ' +
        `EXCLUSIVE lock on ${command.table}: reads and writes wait for the whole build.`;
      report({
        span,
        message: inline
          ? `${message} A new serial or identity key column also fills every existing row first, rewriting the table.`
          : message,
        help: inline
          ? `Add the column without PRIMARY KEY (and backfill it in batches if it needs values). ${HELP}`
          : HELP,
        fix: inline ? undefined : buildIndexFirstFix(file, command, constraint),
      });
    }
  },
};
