import {
  advisoryLockCallsBySection,
  describeLockCall,
  pairLocksWithUnlocks,
  transactionLevelName,
  unlockName,
} from '../lint/advisory-locks';
import { Rule } from '../lint/rule';

export const rule: Rule = {
  id: 'session-advisory-lock',
  severity: 'warning',
  summary: 'A session-level advisory lock, which COMMIT and ROLLBACK do not release; an error when nothing unlocks it.',
  examples: {
    bad: 'SELECT pg_advisory_lock(4242);\nTRUNCATE demo_bookings;\nINSERT INTO demo_bookings SELECT * FROM demo_seed;',
    good:
      'BEGIN;\nSELECT pg_advisory_xact_lock(4242);\nTRUNCATE demo_bookings;\n' +
      'INSERT INTO demo_bookings SELECT * FROM demo_seed;\nCOMMIT;',
  },
  check({ file, report }) {
    for (const calls of advisoryLockCallsBySection(file)) {
      for (const [lock, unlock] of pairLocksWithUnlocks(calls)) {
        const call = describeLockCall(lock);
        const xact = describeLockCall(lock, transactionLevelName(lock));
        const help =
          `Inside a transaction, take ${xact} instead: PostgreSQL releases it at COMMIT or ROLLBACK, so it cannot ` +
          `leak. Keep a session lock only when the work spans several transactions; then take and release it on one ` +
          `dedicated connection, and release it in a finally block.`;
        const others = lock.tries ? 'gets false and skips its work' : 'waits';
        if (!unlock) {
          report({
            span: lock.span,
            severity: 'error',
            message:
              `${call} takes a session-level lock that this script never releases (no ` +
              `${describeLockCall(lock, unlockName(lock))} or pg_advisory_unlock_all() after it). COMMIT and ROLLBACK ` +
              `do not release it: it stays held until the connection closes, which for a migration runner's or a ` +
              `pool's connection is long after this script, and meanwhile every other session that takes the lock ` +
              `${others}.`,
            help,
          });
        } else {
          report({
            span: lock.span,
            message:
              `${call} takes a session-level lock: COMMIT and ROLLBACK do not release it. If the script fails before ` +
              `${unlockName(lock)}, or the unlock runs on another connection, the lock stays held until the connection ` +
              `closes, and every other session that takes it ${others}.`,
            help,
          });
        }
      }
    }
  },
};
