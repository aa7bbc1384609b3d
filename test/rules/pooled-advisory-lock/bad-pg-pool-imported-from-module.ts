// The pool comes from the project's own database module: only its type says it is a pg Pool.
import { db } from './shared/database';

export async function resetDemoData(): Promise<void> {
  await db.query('SELECT pg_advisory_lock(42)');
  try {
    await db.query('TRUNCATE demo_bookings');
  } finally {
    await db.query('SELECT pg_advisory_unlock(42)');
  }
}
