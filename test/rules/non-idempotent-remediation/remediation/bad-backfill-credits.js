// A one-off script (no up/down): credits every affected customer.
const { Client } = require('pg');

async function main() {
  const client = new Client();
  await client.connect();
  await client.query("UPDATE customers SET credit_cents = credit_cents + 500 WHERE affected_by_outage");
  await client.query("INSERT INTO credit_notes (customer_id, cents) VALUES ($1, 500)", [process.argv[2]]);
  await client.end();
}

main();
