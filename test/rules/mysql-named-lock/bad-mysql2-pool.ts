// An hourly reset job: the lock and the unlock each take whichever pooled connection is free.
import mysql from 'mysql2/promise';

const pool = mysql.createPool({ host: 'localhost', database: 'bookings' });

export async function resetDemo() {
  await pool.query("SELECT GET_LOCK('demo_reset', 10)");
  try {
    await pool.query('DELETE FROM demo_bookings WHERE demo = 1');
  } finally {
    await pool.query("SELECT RELEASE_LOCK('demo_reset')");
  }
}
