import mysql from 'mysql2/promise';

const pool = mysql.createPool({ host: 'localhost', database: 'bookings' });

export async function resetDemo() {
  const conn = await pool.getConnection();
  try {
    await conn.query("SELECT GET_LOCK('demo_reset', 10)");
    await conn.query('DELETE FROM demo_bookings WHERE demo = 1');
  } finally {
    await conn.query("SELECT RELEASE_LOCK('demo_reset')");
    conn.release();
  }
}
