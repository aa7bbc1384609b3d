'use strict';

// The indexes come from createTable (primary key, unique email) and addIndex (accountId first, region first).
module.exports = {
  async up(queryInterface) {
    await queryInterface.sequelize.query(`UPDATE visits SET status = 'over_limit' WHERE "accountId" = 42 AND status = 'billed'`);
    await queryInterface.sequelize.query(`DELETE FROM accounts WHERE email = 'gone@example.com'`);
    await queryInterface.sequelize.query(`UPDATE accounts SET plan = 'capped' WHERE region = 'eu' AND plan = 'free'`);
  },

  async down() {},
};
