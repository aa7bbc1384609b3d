const knex = require('knex')({ client: 'mysql2', connection: process.env.DATABASE_URL });

async function reset() {
  await knex.raw("SELECT GET_LOCK('demo_reset', 10)");
  await knex('demo_bookings').where('demo', 1).del();
  await knex.raw("SELECT RELEASE_LOCK('demo_reset')");
}

module.exports = { reset };
