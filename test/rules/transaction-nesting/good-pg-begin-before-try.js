// The same idiom with BEGIN before the try: the ROLLBACK in catch ends the transaction a failed statement left open.
const { Client } = require('pg');

async function flagOverLimit() {
  const client = new Client();
  await client.connect();
  await client.query('BEGIN');
  try {
    await client.query("UPDATE visits SET status = 'over_limit' WHERE count > 10");
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
}

module.exports = { flagOverLimit };
