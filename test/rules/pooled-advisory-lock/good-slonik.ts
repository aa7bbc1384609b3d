import { createPool, sql } from 'slonik';

export async function reset(): Promise<void> {
  const pool = await createPool(process.env.DATABASE_URL!);
  await pool.connect(async (connection) => {
    await connection.query(sql.unsafe`SELECT pg_advisory_lock(4242)`);
    try {
      await connection.query(sql.unsafe`TRUNCATE demo_bookings`);
    } finally {
      await connection.query(sql.unsafe`SELECT pg_advisory_unlock(4242)`);
    }
  });
}
