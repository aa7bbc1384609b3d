import { AdvisoryLockCall, describeLockCall, unlockName } from '../lint/advisory-locks';
import { ONE_CONNECTION, POOLS, pooledLockProblems } from '../lint/pooled-locks';
import { Rule } from '../lint/rule';

const NOT_OWNER = `pg_advisory_unlock returns false with "WARNING: you don't own a lock of type ExclusiveLock"`;

export const rule: Rule = {
  id: 'pooled-advisory-lock',
  severity: 'error',
  summary: 'A session-level advisory lock taken through a connection pool, or released on another connection.',
  examples: {
    fileName: 'example.ts',
    bad:
      "import { Pool } from 'pg';\nconst pool = new Pool();\n" +
      "export async function reset() {\n  await pool.query('SELECT pg_advisory_lock(4242)');\n" +
      "  await pool.query('TRUNCATE demo_bookings');\n  await pool.query('SELECT pg_advisory_unlock(4242)');\n}\n",
    good:
      "import { Pool } from 'pg';\nconst pool = new Pool();\n" +
      'export async function reset() {\n  const client = await pool.connect();\n  try {\n' +
      "    await client.query('SELECT pg_advisory_lock(4242)');\n    await client.query('TRUNCATE demo_bookings');\n" +
      "  } finally {\n    await client.query('SELECT pg_advisory_unlock(4242)');\n    client.release();\n  }\n}\n",
  },
  check({ file, report }) {
    const lineOf = (call: AdvisoryLockCall) => file.lines.positionAt(call.span.start).line + 1;
    for (const problem of pooledLockProblems(file)) {
      const { lock } = problem;
      if (problem.kind === 'through-pool') {
        const { pool } = problem;
        report({
          span: lock.span,
          message:
            `${describeLockCall(lock)} runs through \`${pool.name}\`, ${POOLS[pool.library]}. The session-level ` +
            `lock stays with that one connection; an unlock through the pool usually runs on another, where ` +
            `${NOT_OWNER}, and the lock leaks until that pooled connection closes.`,
          help:
            `${ONE_CONNECTION[pool.library]} Release it in \`finally\`, on the same connection, before the pool is ` +
            `closed. Inside one transaction, pg_advisory_xact_lock needs no unlock at all.`,
        });
        continue;
      }
      const { unlock, taken, released } = problem;
      report({
        span: unlock.span,
        message:
          `${describeLockCall(unlock)} runs on \`${released.name}\`, but ${describeLockCall(lock)} ` +
          `took the lock on \`${taken.name}\` (line ${lineOf(lock)}). Only the session holding an advisory lock can ` +
          `release it: ${NOT_OWNER}, and the lock stays held until \`${taken.name}\`'s connection closes.`,
        help:
          `Release the lock on \`${taken.name}\`, the connection that took it (${unlockName(lock)}), in \`finally\`, ` +
          `before that connection is released or the pool is closed.`,
      });
    }
  },
};
