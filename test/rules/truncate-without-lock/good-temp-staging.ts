// A session-private staging table: nobody else can see it, so truncating and refilling it needs no lock.
import { Pool } from 'pg';

export async function syncRates(pool: Pool, rows: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('CREATE TEMP TABLE IF NOT EXISTS staging_rates (code text, rate numeric)');
    await client.query('TRUNCATE staging_rates');
    await client.query("INSERT INTO staging_rates SELECT * FROM json_populate_recordset(null::staging_rates, $1)", [rows]);
    await client.query('INSERT INTO currency_rates SELECT * FROM staging_rates ON CONFLICT (code) DO UPDATE SET rate = excluded.rate');
  } finally {
    client.release();
  }
}
