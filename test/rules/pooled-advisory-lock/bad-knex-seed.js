// A Knex seed: knex hands `seed` the pooled instance, not a transaction.
exports.seed = async function (knex) {
  await knex.raw('SELECT pg_advisory_lock(11)');
  await knex('demo_bookings').del();
  await knex.raw('SELECT pg_advisory_unlock(11)');
};
