// A BEGIN inside knex's managed transaction: PostgreSQL only warns, and the COMMIT ends knex's transaction early.
exports.up = async function (knex) {
  await knex.transaction(async (trx) => {
    await trx.raw("UPDATE visits SET status = 'over_limit' WHERE count > 10");
    await trx.raw('BEGIN');
    await trx.raw("UPDATE accounts SET flagged = true WHERE id IN (SELECT account_id FROM visits WHERE status = 'over_limit')");
  });
};

exports.config = { transaction: false };
