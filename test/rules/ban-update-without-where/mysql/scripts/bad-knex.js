// A MySQL remediation script run by hand.
const knex = require('knex')({ client: 'mysql2', connection: process.env.DATABASE_URL });

async function main() {
  await knex('visits').update({ status: 'over_limit' });
  await knex.raw('UPDATE `visits` SET `status` = ? WHERE 1 = 1', ['over_limit']);
}

main().finally(() => knex.destroy());
