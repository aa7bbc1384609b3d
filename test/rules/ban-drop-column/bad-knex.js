exports.up = async function (knex) {
  await knex.schema.alterTable('users', (table) => {
    table.dropColumn('fax');
    table.string('nickname');
  });
};

exports.down = async function (knex) {
  await knex.schema.alterTable('users', (table) => {
    table.string('fax');
    table.dropColumn('nickname');
  });
};
