import { Client } from 'pg';

const RESET_LOCK = 4242;
const IMPORT_LOCK = 4343;

export async function run(client: Client) {
  // `$1` stands for the value sent with the query: these take and release different locks.
  await client.query('SELECT pg_advisory_lock($1)', [RESET_LOCK]);
  await client.query({ text: 'SELECT pg_advisory_lock($1)', values: [IMPORT_LOCK] });
  await client.query('SELECT pg_advisory_unlock($1)', [IMPORT_LOCK]);
  // A template hole and a parameter holding the same constant are the same key.
  await client.query(`SELECT pg_advisory_lock(${RESET_LOCK})`);
  await client.query('SELECT pg_advisory_unlock($1)', [RESET_LOCK]);
}
