import { Pool } from 'pg';

const pool = new Pool();
const RESET_LOCK = 4242;

export async function reset(): Promise<void> {
  const client = await pool.connect();
  await client.query('SELECT pg_advisory_lock($1)', [RESET_LOCK]);
  await client.query('TRUNCATE demo_bookings');
  client.release();
  // Another checked-out connection, then the pool: neither holds the lock.
  const cleanup = await pool.connect();
  await cleanup.query('SELECT pg_advisory_unlock($1)', [RESET_LOCK]);
  cleanup.release();

  const worker = await pool.connect();
  await worker.query('SELECT pg_advisory_lock_shared(1)');
  await pool.query('SELECT pg_advisory_unlock_shared(1)');
  worker.release();
}
