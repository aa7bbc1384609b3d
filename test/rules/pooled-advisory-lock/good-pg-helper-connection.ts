// The fix: the helper takes one checked-out connection (the project's alias of PoolClient) and keeps the lock on it.
import { createPool, type Connection } from './shared/database';

async function withNightlyLock(connection: Connection, work: () => Promise<void>): Promise<void> {
  await connection.query('SELECT pg_advisory_lock(99)');
  try {
    await work();
  } finally {
    await connection.query('SELECT pg_advisory_unlock(99)');
  }
}

export async function nightly(): Promise<void> {
  const pool = createPool(process.env.DATABASE_URL!);
  const client = await pool.connect();
  try {
    await withNightlyLock(client, async () => {
      await client.query('REFRESH MATERIALIZED VIEW daily_totals');
    });
  } finally {
    client.release();
  }
}
