const { Pool } = require('pg');
const pool = new Pool();

async function run() {
  await pool.query('SELEC pg_advisory_lock(1)');
  await pool.query('SELECT pg_advisory_lock(2)');
}

run();
