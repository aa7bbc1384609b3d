const { Client, Pool } = require('pg');

async function main() {
  const client = new Client();
  await client.connect();
  await client.query('DELETE FROM logs.changes WHERE changed_at < $1', [new Date(0)]);
  const pool = new Pool();
  await pool.query({ text: 'UPDATE account_audit SET actor = $1', values: ['system'] });
  await client.end();
  await pool.end();
}

main();
