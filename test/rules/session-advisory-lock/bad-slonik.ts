import { createPool, sql } from 'slonik';

export async function reset() {
  const pool = await createPool(process.env.DATABASE_URL!);
  await pool.connect(async (connection) => {
    await connection.query(sql.unsafe`SELECT pg_advisory_lock(${1})`);
    await connection.query(sql.unsafe`TRUNCATE demo_bookings`);
    await connection.query(sql.unsafe`SELECT pg_advisory_unlock(${1})`);
  });
}
