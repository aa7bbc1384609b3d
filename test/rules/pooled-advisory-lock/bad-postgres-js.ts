import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL!, { max: 10 });

export async function reset(): Promise<void> {
  await sql`SELECT pg_advisory_lock(${4242})`;
  await sql`TRUNCATE demo_bookings`;
  await sql.unsafe('SELECT pg_advisory_unlock(4242)');
}
