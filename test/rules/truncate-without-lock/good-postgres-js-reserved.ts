// Incident 2's fix with postgres-js: the lock on one reserved connection covers truncate and reload.
import postgres from 'postgres';

const client = postgres(process.env.DATABASE_URL!, { max: 10 });

export async function resetDemoData(): Promise<void> {
  const reserved = await client.reserve();
  try {
    await reserved`SELECT pg_advisory_lock(4242)`;
    await reserved`TRUNCATE demo_bookings`;
    await reserved`INSERT INTO demo_bookings SELECT * FROM demo_booking_templates`;
  } finally {
    await reserved`SELECT pg_advisory_unlock(4242)`;
    reserved.release();
  }
}
