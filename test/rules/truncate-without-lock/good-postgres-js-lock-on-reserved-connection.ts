// Incident 2's fix as the issue's author wrote it: the session lock held on one reserved connection serialises
// overlapping runs while the pool does the work.
import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL!, { max: 10 });

export async function resetDemoData(): Promise<void> {
  const reserved = await sql.reserve();
  await reserved`SELECT pg_advisory_lock(4242)`;
  try {
    await sql`TRUNCATE demo_bookings`;
    await sql`INSERT INTO demo_bookings SELECT * FROM demo_booking_templates`;
  } finally {
    await reserved`SELECT pg_advisory_unlock(4242)`;
    reserved.release();
  }
}
