// The fix of incident 3: only rows the desktop owns are overwritten; mobile-created rows stay.
import { Pool } from 'pg';

export async function pushFromDesktop(pool: Pool, invoicesJson: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO invoices (id, customer_id, total, source)
       SELECT id, customer_id, total, 'desktop' FROM json_populate_recordset(null::invoices, $1)
       ON CONFLICT (id) DO UPDATE SET total = excluded.total WHERE invoices.source = 'desktop'`,
      [invoicesJson],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
