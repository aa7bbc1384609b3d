// knex runs the migration on one connection: the lock and its release stay together.
exports.up = async function (knex) {
  await knex.raw("SELECT GET_LOCK('plans_backfill', 30)");
  await knex('plans').whereNull('tier').update({ tier: 'free' });
  await knex.raw("SELECT RELEASE_LOCK('plans_backfill')");
};

exports.down = async function () {};
