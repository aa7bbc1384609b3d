// A nightly import that refreshes the price list through knex: the rows the admin screen added are lost.
const knex = require('knex')({ client: 'pg', connection: process.env.DATABASE_URL });

async function refreshPriceList(rows) {
  await knex.transaction(async (trx) => {
    await trx('price_list').truncate();
    await trx('price_list').insert(rows);
  });
}

module.exports = { refreshPriceList };
