// knex wraps each migration in a transaction, which MySQL ends at the first schema change.
exports.up = async function (knex) {
  await knex.schema.alterTable('plans', (table) => {
    table.string('tier', 20);
  });
  await knex('plans').where('price', '>', 100).update({ tier: 'pro' });
};

exports.down = async function (knex) {
  await knex.schema.alterTable('plans', (table) => {
    table.dropColumn('tier');
  });
};
