// The fix in a Knex seed: a transaction-level lock inside one transaction needs no unlock.
exports.seed = async function (knex) {
  await knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(11)');
    await trx('demo_bookings').del();
  });
};
