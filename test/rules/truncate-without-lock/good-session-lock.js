// The fix of incident 2: a session-level lock on one dedicated connection, released in finally.
const { Client } = require('pg');

async function resetDemoData() {
  const client = new Client();
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(4242)');
    await client.query('TRUNCATE demo_bookings');
    await client.query('INSERT INTO demo_bookings SELECT * FROM demo_booking_templates');
  } finally {
    await client.query('SELECT pg_advisory_unlock(4242)');
    await client.end();
  }
}

module.exports = { resetDemoData };
