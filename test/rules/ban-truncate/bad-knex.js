exports.up = async function up(knex) {
  await knex('notifications').truncate();
};

exports.down = async function down() {};
