import { AdvisoryLockCall, advisoryLockCallsBySection, describeLockCall, pairLocksWithUnlocks, unlockName } from '../lint/advisory-locks';
import type { PoolLibrary, QueryConnection } from '../lint/query-connections';
import { Rule } from '../lint/rule';

/** What each pool does with a query, for the message. */
const POOLS: Record<PoolLibrary, string> = {
  pg: 'a pg Pool, which runs each query on whichever of its connections is free',
  'postgres-js': 'the postgres-js root `sql`, which runs each query on whichever pooled connection is free',
  knex: 'a knex instance, which takes a pooled connection for each query (a migration gets one when it runs without a transaction)',
  sequelize: 'Sequelize, which runs a query without a `transaction` option on whichever pooled connection is free',
  slonik: 'a slonik pool, which runs each query on whichever of its connections is free',
  typeorm: 'a TypeORM DataSource, which runs each query on whichever pooled connection is free',
};

/** How to keep the lock and its unlock on one connection with each library. */
const ONE_CONNECTION: Record<PoolLibrary, string> = {
  pg:
    'Check out one connection and take and release the lock on it: `const client = await pool.connect(); try { ' +
    "await client.query('SELECT pg_advisory_lock(...)'); ... } finally { await client.query('SELECT " +
    "pg_advisory_unlock(...)'); client.release(); }`.",
  'postgres-js':
    'Reserve one connection: `const reserved = await sql.reserve()`, lock and unlock through `reserved` (the unlock ' +
    'in `finally`, then `reserved.release()`).',
  knex:
    'Acquire one connection (`const conn = await knex.client.acquireConnection()`), run the lock and the unlock with ' +
    '`.connection(conn)` (the unlock in `finally`, then `knex.client.releaseConnection(conn)`).',
  sequelize:
    'Run the work in `sequelize.transaction(async (t) => ...)` and pass `{ transaction: t }` to every query, lock ' +
    'included.',
  slonik:
    'Use one connection: `pool.connect(async (connection) => ...)`, lock and unlock through `connection` (the unlock ' +
    'in `finally`).',
  typeorm:
    'Use one QueryRunner: `const runner = dataSource.createQueryRunner(); await runner.connect();`, lock and unlock ' +
    'with `runner.query` (the unlock in `finally`, then `runner.release()`).',
};

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
    if (!file.host) return;
    const sections = advisoryLockCallsBySection(file);
    if (sections.length === 0) return;
    const connections = new (loadQueryConnections())(file);
    const connectionOf = (call: AdvisoryLockCall) => connections.of(call.operation);
    const lineOf = (call: AdvisoryLockCall) => file.lines.positionAt(call.span.start).line + 1;

    for (const calls of sections) {
      for (const [lock, unlock] of pairLocksWithUnlocks(calls)) {
        const taken = connectionOf(lock);
        if (taken.kind === 'pool') {
          report({
            span: lock.span,
            message:
              `${describeLockCall(lock)} runs through \`${taken.name}\`, ${POOLS[taken.library]}. The session-level ` +
              `lock stays with that one connection; an unlock through the pool usually runs on another, where ` +
              `${NOT_OWNER}, and the lock leaks until that pooled connection closes.`,
            help:
              `${ONE_CONNECTION[taken.library]} Release it in \`finally\`, on the same connection, before the pool is ` +
              `closed. Inside one transaction, pg_advisory_xact_lock needs no unlock at all.`,
          });
          continue;
        }
        if (!unlock) continue;
        const released = connectionOf(unlock);
        if (taken.kind === 'single' && differentConnections(taken, released)) {
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
      }
    }
  },
};

/** Whether an unlock surely runs on another connection than the one that holds the lock. */
function differentConnections(taken: QueryConnection & { kind: 'single' }, released: QueryConnection): boolean {
  if (released.kind === 'pool') return true;
  return released.kind === 'single' && released.owner !== taken.owner;
}

/** query-connections loads the TypeScript compiler: only TS/JS files, which were parsed with it, get here. */
function loadQueryConnections(): typeof import('../lint/query-connections').QueryConnections {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../lint/query-connections') as typeof import('../lint/query-connections')).QueryConnections;
}
