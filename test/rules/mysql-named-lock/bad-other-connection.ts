import mysql from 'mysql2/promise';

const pool = mysql.createPool({ host: 'localhost', database: 'bookings' });

export async function resetDemo() {
  const locker = await pool.getConnection();
  const worker = await pool.getConnection();
  await locker.query("SELECT GET_LOCK('demo_reset', 10)");
  await worker.query('DELETE FROM demo_bookings WHERE demo = 1');
  await worker.query("SELECT RELEASE_LOCK('demo_reset')");
  worker.release();
  locker.release();
}
