import type { MigrationFile } from '../parse/migration';
import { AdvisoryLockCall, advisoryLockCallsBySection, pairLocksWithUnlocks } from './advisory-locks';
import type { PoolLibrary, QueryConnection } from './query-connections';

/**
 * Session-level locks (PostgreSQL's advisory locks, MySQL's named locks) belong to the connection that took
 * them, and only that connection can release them. In TS/JS, a lock taken through a connection pool, or released
 * through another connection than the one that took it, leaks until that connection closes (incident 2).
 */
export type PooledLockProblem =
  | { kind: 'through-pool'; lock: AdvisoryLockCall; pool: Extract<QueryConnection, { kind: 'pool' }> }
  | {
      kind: 'released-elsewhere';
      lock: AdvisoryLockCall;
      unlock: AdvisoryLockCall;
      taken: Extract<QueryConnection, { kind: 'single' }>;
      released: QueryConnection;
    };

/** The file's session-level locks taken through a pool or released on another connection, in source order. */
export function pooledLockProblems(file: MigrationFile): PooledLockProblem[] {
  if (!file.host) return [];
  const sections = advisoryLockCallsBySection(file);
  if (sections.length === 0) return [];
  const connections = new (loadQueryConnections())(file);
  const problems: PooledLockProblem[] = [];
  for (const calls of sections) {
    for (const [lock, unlock] of pairLocksWithUnlocks(calls)) {
      const taken = connections.of(lock.operation);
      if (taken.kind === 'pool') {
        problems.push({ kind: 'through-pool', lock, pool: taken });
        continue;
      }
      if (!unlock || taken.kind !== 'single') continue;
      const released = connections.of(unlock.operation);
      if (differentConnections(taken, released))
        problems.push({ kind: 'released-elsewhere', lock, unlock, taken, released });
    }
  }
  return problems;
}

/** Whether an unlock surely runs on another connection than the one that holds the lock. */
function differentConnections(taken: Extract<QueryConnection, { kind: 'single' }>, released: QueryConnection): boolean {
  if (released.kind === 'pool') return true;
  return released.kind === 'single' && released.owner !== taken.owner;
}

/** query-connections loads the TypeScript compiler: only TS/JS files, which were parsed with it, get here. */
function loadQueryConnections(): typeof import('./query-connections').QueryConnections {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./query-connections') as typeof import('./query-connections')).QueryConnections;
}

/** What each pool does with a query, for the message. */
export const POOLS: Record<PoolLibrary, string> = {
  pg: 'a pg Pool, which runs each query on whichever of its connections is free',
  'postgres-js':
    'a postgres-js instance (`postgres(...)`), which runs each query on whichever pooled connection is free',
  knex: 'a knex instance, which takes a pooled connection for each query (a migration gets one when it runs without a transaction)',
  sequelize: 'Sequelize, which runs a query without a `transaction` option on whichever pooled connection is free',
  slonik: 'a slonik pool, which runs each query on whichever of its connections is free',
  typeorm: 'a TypeORM DataSource, which runs each query on whichever pooled connection is free',
  mysql2: 'a mysql2 pool, which runs each query on whichever of its connections is free',
};

/** How to keep the lock and its unlock on one connection with each library. */
export const ONE_CONNECTION: Record<PoolLibrary, string> = {
  pg:
    'Check out one connection and take and release the lock on it: `const client = await pool.connect(); try { ' +
    "await client.query('SELECT pg_advisory_lock(...)'); ... } finally { await client.query('SELECT " +
    "pg_advisory_unlock(...)'); client.release(); }`.",
  'postgres-js':
    'Reserve one connection: `const reserved = await sql.reserve()` (on your instance, whatever its name), lock and unlock through `reserved` (the unlock ' +
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
  mysql2:
    'Check out one connection: `const conn = await pool.getConnection()`, lock and unlock with `conn.query` (the ' +
    'unlock in `finally`, then `conn.release()`).',
};
