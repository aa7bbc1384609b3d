exports.up = async function (knex) {
  await knex.raw('UPDATE `logs`.`changes` SET `record_id` = 1 WHERE `record_id` = 2');
  await knex('logs.changes').where('record_type', 'link').del();
  await knex.schema.dropTableIfExists('change_log');
  await knex('logs.changes').insert({ record_id: 1, reason: 'compensating entry' });
};

exports.down = async function () {};
