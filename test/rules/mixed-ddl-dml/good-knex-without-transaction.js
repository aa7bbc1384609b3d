// knex runs this migration without its transaction: each statement commits on its own.
exports.config = { transaction: false };

exports.up = async (knex) => {
  await knex.schema.alterTable('plans', (table) => table.text('tier'));
  await knex('plans').whereNull('tier').update({ tier: 'basic' });
};

exports.down = async () => {};
