// A sync that stages rows in a session-private table inside its transaction: DDL on a TEMP table is no schema change.
import { Pool } from 'pg';

export async function syncRates(pool: Pool, rows: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('CREATE TEMPORARY TABLE staging_rates (code text, rate numeric) ON COMMIT DROP');
    await client.query('INSERT INTO staging_rates SELECT * FROM json_populate_recordset(null::staging_rates, $1)', [rows]);
    await client.query('UPDATE currency_rates c SET rate = s.rate FROM staging_rates s WHERE s.code = c.code');
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  } finally {
    client.release();
  }
}
