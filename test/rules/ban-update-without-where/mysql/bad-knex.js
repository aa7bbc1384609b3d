exports.up = async function (knex) {
  await knex('visits').update({ status: 'over_limit' });
  await knex.raw('UPDATE `visits` SET `status` = ? WHERE 1 = 1', ['over_limit']);
};

exports.down = async function () {};
