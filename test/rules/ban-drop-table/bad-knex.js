exports.up = (knex) => knex.schema.dropTableIfExists('invoices');
exports.down = (knex) => knex.schema.createTable('invoices', (table) => table.bigIncrements('id'));
