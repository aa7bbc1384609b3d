// Without a transaction, knex hands the migration its pooled instance: each query may use another connection.
exports.config = { transaction: false };

exports.up = async function (knex) {
  await knex.raw('SELECT pg_advisory_lock(77)');
  await knex.raw('CREATE INDEX CONCURRENTLY bookings_guest_idx ON bookings (guest_id)');
  await knex.raw('SELECT pg_advisory_unlock(77)');
};

exports.down = async function () {};
