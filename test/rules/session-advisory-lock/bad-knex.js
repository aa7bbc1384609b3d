exports.up = async function (knex) {
  await knex.raw('SELECT pg_advisory_lock(42)');
  await knex.raw('UPDATE plans SET price = price * 2');
  // Named bindings are keys by name: :reset is released, :import is not.
  await knex.raw('SELECT pg_advisory_lock(:reset)', { reset: 7 });
  await knex.raw('SELECT pg_advisory_lock(:import)', { import: 8 });
  await knex.raw('SELECT pg_advisory_unlock(:reset)', { reset: 7 });
};

exports.down = async function () {};
