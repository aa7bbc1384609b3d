'use strict';

// Incident 4: flag visits over the cap. status is not the leading column of any index of visits.
module.exports = {
  async up(queryInterface) {
    await queryInterface.sequelize.query(`UPDATE visits SET status = 'over_limit' WHERE status = 'billed'`);
    await queryInterface.sequelize.query(`UPDATE accounts SET plan = 'capped' WHERE plan = 'free'`);
  },

  async down() {},
};
