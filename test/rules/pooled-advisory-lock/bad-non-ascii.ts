import { Pool } from 'pg';

// Zurücksetzen der Demodaten 🚀 — „nur ein Lauf gleichzeitig“.
const pool = new Pool();

export async function zurücksetzen(): Promise<void> {
  await pool.query(`SELECT '🚀 Demo', pg_advisory_lock(hashtext('démo'))`);
}
