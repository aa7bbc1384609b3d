// A migration: knex runs up() in one transaction.
exports.up = async function (knex) {
  for (const code of ['EUR', 'USD', 'GBP']) {
    await knex('currencies').insert({ code });
  }
};

exports.down = async function (knex) {
  await knex('currencies').whereIn('code', ['EUR', 'USD', 'GBP']).del();
};
