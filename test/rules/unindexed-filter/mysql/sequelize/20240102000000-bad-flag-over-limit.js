'use strict';

// Incident 4 on MySQL: flag visits over the cap. No index of visits starts with status.
module.exports = {
  async up(queryInterface) {
    await queryInterface.sequelize.query("UPDATE `visits` SET `status` = 'over_limit' WHERE `status` = 'billed'");
  },

  async down() {},
};
