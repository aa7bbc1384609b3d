import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL!);

export async function reset(): Promise<void> {
  const reserved = await sql.reserve();
  try {
    await reserved.unsafe('SELECT pg_advisory_lock(4242)');
    await reserved.unsafe('TRUNCATE demo_bookings');
  } finally {
    await reserved.unsafe('SELECT pg_advisory_unlock(4242)');
    reserved.release();
  }
}

export async function resetInTransaction(): Promise<void> {
  await sql.begin(async (sql) => {
    await sql`SELECT pg_advisory_lock(1)`;
    await sql`TRUNCATE demo_bookings`;
    await sql`SELECT pg_advisory_unlock(1)`;
  });
}
