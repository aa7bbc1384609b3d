// A helper takes the pool the project's factory made: the factory's declared return type says it is a Pool.
import { createPool, type Database } from './shared/database';

async function withNightlyLock(pool: Database, work: () => Promise<void>): Promise<void> {
  await pool.query('SELECT pg_advisory_lock(99)');
  try {
    await work();
  } finally {
    await pool.query('SELECT pg_advisory_unlock(99)');
  }
}

export async function nightly(): Promise<void> {
  const pool = createPool(process.env.DATABASE_URL!);
  await pool.query('SELECT pg_advisory_lock(100)');
  await withNightlyLock(pool, async () => {
    await pool.query('REFRESH MATERIALIZED VIEW daily_totals');
  });
  await pool.query('SELECT pg_advisory_unlock(100)');
}
