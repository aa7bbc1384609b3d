const { Pool } = require('pg');
const pool = new Pool();

async function run() {
  await pool.query(`
    SELECT pg_advisory_lock(
      42
    )`);
}

run();
