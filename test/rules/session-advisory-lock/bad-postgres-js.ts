import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL!);
const LOCK = 17;

export async function reset() {
  await sql`SELECT pg_advisory_lock(${LOCK})`;
  await sql`TRUNCATE demo_bookings`;
  await sql`SELECT pg_advisory_unlock(${LOCK + 1})`;
}
