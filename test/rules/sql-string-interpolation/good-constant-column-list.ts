// Column names mapped from a constant list: the query text is fixed by the file.
import { Pool } from 'pg';

const COLUMNS = ['code', 'rate', 'updated_at'] as const;

export async function upsertRates(pool: Pool, values: unknown[]): Promise<void> {
  await pool.query(
    `INSERT INTO currency_rates (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES ($1, $2, $3)
     ON CONFLICT (code) DO UPDATE SET ${COLUMNS.map((c) => `"${c}" = excluded."${c}"`).join(', ')}`,
    values,
  );
}
