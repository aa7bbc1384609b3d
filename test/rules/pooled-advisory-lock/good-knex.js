// With a transaction (the default), knex hands `up` a transaction: one connection for every query.
exports.up = async function (knex) {
  await knex.raw('SELECT pg_advisory_lock(1)');
  await knex('demo_bookings').truncate();
  await knex.raw('SELECT pg_advisory_unlock(1)');
};

exports.down = async function (knex) {
  await knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_lock(2)');
    await trx.raw('SELECT pg_advisory_unlock(2)');
  });
  const conn = await knex.client.acquireConnection();
  try {
    await knex.raw('SELECT pg_advisory_lock(3)').connection(conn);
  } finally {
    await knex.raw('SELECT pg_advisory_unlock(3)').connection(conn);
    await knex.client.releaseConnection(conn);
  }
};
