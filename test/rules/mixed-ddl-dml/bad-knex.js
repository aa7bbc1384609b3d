exports.up = async function up(knex) {
  await knex.schema.alterTable('plans', (table) => {
    table.text('tier');
  });
  await knex('plans').whereNull('tier').update({ tier: 'basic' });
};

exports.down = async function down(knex) {
  await knex.schema.alterTable('plans', (table) => table.dropColumn('tier'));
};
