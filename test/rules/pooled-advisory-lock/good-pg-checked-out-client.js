// The fixed demo-data reset of incident 2: one dedicated connection takes and releases the lock, in `finally`.
const { Client, Pool } = require('pg');

const RESET_LOCK = 4242;

async function resetDemoData(pool) {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [RESET_LOCK]);
    await client.query('TRUNCATE demo_bookings, demo_guests');
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [RESET_LOCK]);
    client.release();
  }
}

async function withCallback() {
  const pool = new Pool();
  pool.connect((err, client, done) => {
    client.query('SELECT pg_advisory_lock(1)');
    client.query('SELECT pg_advisory_unlock(1)', () => done());
  });
}

async function singleClient() {
  const client = new Client();
  await client.connect();
  await client.query('SELECT pg_advisory_lock(2)');
  await client.query('SELECT pg_advisory_unlock_all()');
  await client.end();
}

// Not a lock taken now: comments, strings that are never sent, a function body.
// await pool.query('SELECT pg_advisory_lock(3)');
async function notLocks() {
  const pool = new Pool();
  const note = 'SELECT pg_advisory_lock(4)';
  console.log(note);
  await pool.query(`CREATE OR REPLACE FUNCTION take_lock() RETURNS void AS $$
    BEGIN PERFORM pg_advisory_lock(5); END $$ LANGUAGE plpgsql`);
  // A transaction-level lock through the pool is released at the end of its statement.
  await pool.query('SELECT pg_advisory_xact_lock(6)');
}

module.exports = { resetDemoData, withCallback, singleClient, notLocks };
