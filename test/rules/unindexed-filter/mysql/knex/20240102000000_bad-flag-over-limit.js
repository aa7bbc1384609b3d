// Incident 4's remediation, batched by status: no index starts with status.
exports.up = async function (knex) {
  await knex.raw("UPDATE `visits` SET `status` = 'over_limit' WHERE `status` = 'open' LIMIT 500");
};

exports.down = async function () {};
