// A demo-data reset owns its tables' rows: emptying and reloading them is its job (truncate-without-lock
// checks it is done atomically).
const { Client } = require('pg');

async function resetDemoBookings(rows) {
  const client = new Client();
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('TRUNCATE demo_bookings');
    for (const booking of rows) {
      await client.query('INSERT INTO demo_bookings (guest_id, room) VALUES ($1, $2)', [booking.guestId, booking.room]);
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

module.exports = { resetDemoBookings };
