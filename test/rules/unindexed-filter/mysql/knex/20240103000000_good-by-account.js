exports.up = async function (knex) {
  await knex.raw('UPDATE `visits` SET `status` = ? WHERE `account_id` = ?', ['over_limit', 42]);
};

exports.down = async function () {};
