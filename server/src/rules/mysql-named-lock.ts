import {
  AdvisoryLockCall,
  advisoryLockCallsBySection,
  describeLockCall,
  pairLocksWithUnlocks,
} from '../lint/advisory-locks';
import { ONE_CONNECTION, POOLS, pooledLockProblems } from '../lint/pooled-locks';
import { Rule } from '../lint/rule';
import { DIALECT_NAMES, MYSQL_DIALECTS } from '../parse/dialect';

/** RELEASE_LOCK on a connection that does not hold the lock releases nothing. */
const NOT_OWNER = 'RELEASE_LOCK returns 0 (the lock is held by another connection) and releases nothing';

export const rule: Rule = {
  id: 'mysql-named-lock',
  severity: 'error',
  summary:
    'A MySQL named lock (GET_LOCK) taken through a connection pool, released on another connection, or never released.',
  dialects: MYSQL_DIALECTS,
  examples: {
    bad: "SELECT GET_LOCK('demo_reset', 10);\nDELETE FROM demo_bookings WHERE demo = 1;\nINSERT INTO demo_bookings SELECT * FROM demo_seed;",
    good:
      "SELECT GET_LOCK('demo_reset', 10);\nDELETE FROM demo_bookings WHERE demo = 1;\n" +
      "INSERT INTO demo_bookings SELECT * FROM demo_seed;\nSELECT RELEASE_LOCK('demo_reset');",
  },
  check({ file, report }) {
    const database = DIALECT_NAMES[file.dialect];
    const lineOf = (call: AdvisoryLockCall) => file.lines.positionAt(call.span.start).line + 1;
    const written = (call: AdvisoryLockCall) => describeLockCall(call, call.name.toUpperCase());
    // Where each lock reported for its connection starts: it is not reported again as never released.
    const reported = new Set<number>();
    for (const problem of pooledLockProblems(file)) {
      const { lock } = problem;
      reported.add(lock.span.start);
      if (problem.kind === 'through-pool') {
        const { pool } = problem;
        report({
          span: lock.span,
          message:
            `${written(lock)} runs through \`${pool.name}\`, ${POOLS[pool.library]}. The named lock belongs to that one ` +
            `connection; a RELEASE_LOCK through the pool usually runs on another, where ${NOT_OWNER}, and the lock ` +
            `stays held until that pooled connection closes: every other GET_LOCK of the name waits out its timeout.`,
          help: `${ONE_CONNECTION[pool.library]} Release it in \`finally\`, on the same connection, before the pool is closed.`,
        });
        continue;
      }
      const { unlock, taken, released } = problem;
      report({
        span: unlock.span,
        message:
          `${written(unlock)} runs on \`${released.name}\`, but ${written(lock)} took the lock on \`${taken.name}\` ` +
          `(line ${lineOf(lock)}). Only the connection holding a named lock can release it: ${NOT_OWNER}, and the lock ` +
          `stays held until \`${taken.name}\`'s connection closes.`,
        help: `Release the lock on \`${taken.name}\`, the connection that took it, in \`finally\`, before that connection is released.`,
      });
    }
    for (const calls of advisoryLockCallsBySection(file)) {
      for (const [lock, unlock] of pairLocksWithUnlocks(calls)) {
        if (unlock || reported.has(lock.span.start)) continue;
        report({
          span: lock.span,
          message:
            `${written(lock)} takes a named lock that this script never releases (no RELEASE_LOCK of the name or ` +
            `RELEASE_ALL_LOCKS() after it). ${database} releases it only when the connection closes, not at COMMIT or ` +
            `ROLLBACK: a migration runner's or a pool's connection lives on, and every other GET_LOCK of the name waits ` +
            `out its timeout and gets 0 meanwhile.`,
          help:
            'Release it once the work is done, on the same connection: RELEASE_LOCK with the same name (in TS/JS, in a ' +
            '`finally` block, so that a failure releases it too).',
        });
      }
    }
  },
};
