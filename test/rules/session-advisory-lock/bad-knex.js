exports.up = async function (knex) {
  await knex.raw('SELECT pg_advisory_lock(42)');
  await knex.raw('UPDATE plans SET price = price * 2');
};

exports.down = async function () {};
