// A session-private staging table is the script's own: emptying and refilling it deletes nobody's rows.
import { Pool } from 'pg';

export async function importRates(pool: Pool, ratesJson: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('CREATE TEMP TABLE IF NOT EXISTS staging_rates (code text, rate numeric)');
    await client.query('TRUNCATE staging_rates');
    await client.query('INSERT INTO staging_rates SELECT * FROM json_populate_recordset(null::staging_rates, $1)', [ratesJson]);
    await client.query('INSERT INTO currency_rates SELECT * FROM staging_rates ON CONFLICT (code) DO UPDATE SET rate = excluded.rate');
  } finally {
    client.release();
  }
}
