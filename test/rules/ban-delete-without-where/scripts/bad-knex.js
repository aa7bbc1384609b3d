exports.up = async function up(knex) {
  await knex('feature_flags').del();
  await knex('feature_flags').where({ name: 'beta' }).del();
};

exports.down = async function down() {};
