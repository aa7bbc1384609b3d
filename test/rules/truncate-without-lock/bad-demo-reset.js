// The hourly demo-data reset of incident 2: no transaction, no lock. Overlapping runs truncate each
// other's bookings mid-load and fail at random with 23503.
const { Client } = require('pg');

async function resetDemoData(rows) {
  const client = new Client();
  await client.connect();
  await client.query('TRUNCATE demo_bookings, demo_guests');
  for (const guest of rows.guests) {
    await client.query('INSERT INTO demo_guests (id, name) VALUES ($1, $2)', [guest.id, guest.name]);
  }
  for (const booking of rows.bookings) {
    await client.query('INSERT INTO demo_bookings (guest_id, room) VALUES ($1, $2)', [booking.guestId, booking.room]);
  }
  await client.end();
}

module.exports = { resetDemoData };
