// Incident 3's forward sync: table names and values pasted into query text.
import { Client } from 'pg';

export async function syncTable(client: Client, table: string, rows: { id: string; name: string }[], source: string) {
  await client.query(`DELETE FROM ${table} WHERE source = '${source}'`);
  for (const row of rows) {
    await client.query('INSERT INTO ' + table + ' (id, name) VALUES (' + row.id + ', $1)', [row.name]);
  }
  const limit = rows.length;
  await client.query(`SELECT id FROM sync_runs ORDER BY id DESC LIMIT ${limit}`);
}

export async function archive(client: Client, request: { table: string }) {
  let target = 'sync_archive';
  if (request.table) target = request.table;
  await client.query(`INSERT INTO ${target} SELECT * FROM sync_rows`);
}
