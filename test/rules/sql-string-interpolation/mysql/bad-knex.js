exports.up = async function (knex) {
  const tenant = process.env.TENANT;
  await knex.raw(`UPDATE plans SET tier = 'pro' WHERE tenant = '${tenant}'`);
};

exports.down = async function () {};
