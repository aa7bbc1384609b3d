'use strict';

// InnoDB indexed visits.accountId for its foreign key: this filter is served.
module.exports = {
  async up(queryInterface) {
    await queryInterface.sequelize.query("UPDATE `visits` SET `status` = 'over_limit' WHERE `accountId` = 42");
    await queryInterface.bulkDelete('visits', { accountId: 7 });
  },

  async down() {},
};
