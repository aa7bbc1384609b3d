exports.up = (knex) =>
  knex.schema.alterTable('events', (table) => {
    table.bigInteger('account_id').notNullable().alter();
  });
