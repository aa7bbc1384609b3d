const knex = require('knex')({ client: 'pg', connection: process.env.DATABASE_URL });

async function main() {
  await knex('feature_flags').del();
  await knex('feature_flags').where({ name: 'beta' }).del();
}

main().finally(() => knex.destroy());
