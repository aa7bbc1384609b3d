const knex = require('knex')({ client: 'pg', connection: process.env.DATABASE_URL });

async function reset() {
  await knex.raw('SELECT pg_advisory_lock(4242)');
  await knex('demo_bookings').truncate();
  await knex.raw('SELECT pg_advisory_unlock(4242)');
}

module.exports = { reset };
