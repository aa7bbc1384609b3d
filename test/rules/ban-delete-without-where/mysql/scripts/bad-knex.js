// A MySQL clean-up script run by hand.
const knex = require('knex')({ client: 'mysql2', connection: process.env.DATABASE_URL });

async function main() {
  await knex('sync_lookup').del();
  await knex.raw('DELETE FROM `sync_lookup`');
}

main().finally(() => knex.destroy());
