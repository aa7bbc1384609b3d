// The fixed demo-reset job of incident 2: one dedicated connection takes and releases the lock.
const { Pool } = require('pg');

const RESET_LOCK = 4242;

async function resetDemoData() {
  const pool = new Pool();
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [RESET_LOCK]);
    await client.query('TRUNCATE demo_bookings, demo_guests');
    await client.query(`SELECT pg_advisory_lock(${RESET_LOCK})`);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [RESET_LOCK]);
    await client.query(`SELECT pg_advisory_unlock(${RESET_LOCK})`);
    client.release();
    await pool.end();
  }
}

resetDemoData();
