exports.up = async function (knex) {
  await knex('sync_lookup').del();
  await knex.raw('DELETE FROM `sync_lookup`');
};

exports.down = async function () {};
