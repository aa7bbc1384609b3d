import { blockedWork, lockPhrase } from '../lint/locks';
import { Rule } from '../lint/rule';
import { firstUnguardedBlockingOperations, timeoutFix } from '../lint/session-settings';

export const rule: Rule = {
  id: 'require-lock-timeout',
  severity: 'warning',
  summary:
    'A blocking lock requested without lock_timeout can queue every query on the table behind one slow transaction.',
  fixable: true,
  options: {
    value: { type: 'string', default: '5s', description: 'The lock_timeout the quick fix sets.' },
  },
  examples: {
    bad: 'ALTER TABLE users ADD COLUMN nickname text;',
    good: "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN nickname text;",
  },
  check({ file, options, report }) {
    for (const blocking of firstUnguardedBlockingOperations(file, 'lock_timeout')) {
      const on = blocking.tables.length > 0 ? ` on ${blocking.tables.join(', ')}` : '';
      report({
        span: blocking.span,
        message:
          `This statement requests ${lockPhrase(blocking.lock)}${on} with no lock_timeout set. If any transaction holds a ` +
          'conflicting lock (a long query, an idle-in-transaction session, autovacuum), it waits — and every later ' +
          `query that needs the table queues behind it, so ${blockedWork(blocking.lock)} stop until that transaction ends, ` +
          'even if the change itself takes milliseconds.',
        help:
          `SET lock_timeout (e.g. '${String(options.value)}') before the first such statement, and retry the migration ` +
          'if it times out. If your runner or role already sets one, turn this rule off in .preflightrc.json.',
        fix: timeoutFix(file, blocking.operation, 'lock_timeout', String(options.value)),
      });
    }
  },
};
