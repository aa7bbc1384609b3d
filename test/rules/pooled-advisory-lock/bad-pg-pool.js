// The demo-data reset of incident 2, first attempt: the lock goes through the pool.
const pg = require('pg');
const { Pool } = pg;

const pool = new Pool({ max: 4 });

async function resetDemoData() {
  await pool.query('SELECT pg_advisory_lock(4242)');
  try {
    await pool.query('TRUNCATE demo_bookings, demo_guests');
  } finally {
    await pool.query('SELECT pg_advisory_unlock(4242)');
  }
}

class ImportJob {
  constructor() {
    this.db = new pg.Pool();
  }

  async run() {
    await this.db.query({ text: 'SELECT pg_try_advisory_lock($1)', values: [7] });
  }
}

module.exports = { resetDemoData, ImportJob };
