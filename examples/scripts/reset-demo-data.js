// Hourly demo-data reset (the booking-app incident): a session advisory lock taken through a pool.
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

async function resetDemoData() {
  await pool.query('SELECT pg_advisory_lock(42)');
  try {
    await pool.query('TRUNCATE encounters');
    await pool.query(`INSERT INTO encounters (patient_id, started_at) SELECT id, now() FROM patients`);
  } finally {
    await pool.query('SELECT pg_advisory_unlock(42)');
  }
}

module.exports = { resetDemoData };
