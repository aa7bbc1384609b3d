import { createPool, sql } from 'slonik';

// slonik: the query is an `sql` tagged template handed to the pool.
export async function forgetUser(userId: number) {
  const pool = await createPool(process.env.DATABASE_URL!);
  await pool.query(sql.unsafe`DELETE FROM audit.events WHERE user_id = ${userId}`);
}
