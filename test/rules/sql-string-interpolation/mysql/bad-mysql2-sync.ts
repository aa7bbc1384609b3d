// Incident 3's forward sync against MySQL: the table name and the source pasted into the query text.
import mysql from 'mysql2/promise';

const pool = mysql.createPool({ host: 'localhost', database: 'accounts' });

export async function syncTable(table: string, source: string, rows: { id: number; name: string }[]) {
  await pool.query(`DELETE FROM \`${table}\` WHERE source = '${source}'`);
  for (const row of rows) {
    await pool.query('INSERT INTO ' + table + ' (id, name) VALUES (' + row.id + ', ?)', [row.name]);
  }
}
