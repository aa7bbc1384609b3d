exports.up = (knex) => knex.schema.table('users', (t) => t.renameColumn('email', 'email_address'));
