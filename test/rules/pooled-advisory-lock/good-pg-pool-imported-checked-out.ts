// The fix: one client checked out of the imported pool holds the lock and releases it.
import { db } from './shared/database';

export async function resetDemoData(): Promise<void> {
  const client = await db.connect();
  try {
    await client.query('SELECT pg_advisory_lock(42)');
    await client.query('TRUNCATE demo_bookings');
  } finally {
    await client.query('SELECT pg_advisory_unlock(42)');
    client.release();
  }
}
