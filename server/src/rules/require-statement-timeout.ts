import { lockPhrase } from '../lint/locks';
import { Rule } from '../lint/rule';
import { firstUnguardedBlockingOperations, timeoutFix } from '../lint/session-settings';

export const rule: Rule = {
  id: 'require-statement-timeout',
  severity: 'off',
  summary:
    'Without statement_timeout, a statement holding a blocking lock can run (and block) for as long as it takes.',
  fixable: true,
  options: {
    value: { type: 'string', default: '1min', description: 'The statement_timeout the quick fix sets.' },
  },
  examples: {
    bad: 'ALTER TABLE users ADD COLUMN nickname text;',
    good: "SET statement_timeout = '1min';\nALTER TABLE users ADD COLUMN nickname text;",
  },
  check({ file, options, report }) {
    for (const blocking of firstUnguardedBlockingOperations(file, 'statement_timeout')) {
      report({
        span: blocking.span,
        message:
          `This statement takes ${lockPhrase(blocking.lock)} with no statement_timeout set: if it turns out slow (a rewrite, a ` +
          'scan, an index build on a table larger than expected), the table stays blocked until it finishes.',
        help:
          `SET statement_timeout (e.g. '${String(options.value)}') to bound how long the migration may block, sized for the ` +
          'largest table it touches. Leave it out for CONCURRENTLY builds: a cancelled one leaves an INVALID index behind.',
        fix: timeoutFix(file, blocking.operation, 'statement_timeout', String(options.value)),
      });
    }
  },
};
