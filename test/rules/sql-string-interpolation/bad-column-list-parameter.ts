// Column names mapped from a caller's list: the caller decides the query text.
import { Pool } from 'pg';

export async function upsertRates(pool: Pool, columns: string[], values: unknown[]): Promise<void> {
  await pool.query(`INSERT INTO currency_rates (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ($1, $2, $3)`, values);
}
