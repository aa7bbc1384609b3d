exports.up = async function (knex) {
  await knex.schema.createTable('visits', (table) => {
    table.increments('id');
    table.integer('account_id').notNullable();
    table.string('status', 20).notNullable();
    table.index(['account_id']);
  });
};

exports.down = async function (knex) {
  await knex.schema.dropTable('visits');
};
