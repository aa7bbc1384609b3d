// A ROLLBACK that no failure path reaches with a transaction open: the COMMIT before it already ended it.
const { Client } = require('pg');

async function flagOverLimit() {
  const client = new Client();
  await client.connect();
  await client.query('BEGIN');
  await client.query("UPDATE visits SET status = 'over_limit' WHERE count > 10");
  await client.query('COMMIT');
  await client.query('ROLLBACK');
  await client.end();
}

module.exports = { flagOverLimit };
