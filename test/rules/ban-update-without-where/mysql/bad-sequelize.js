'use strict';

module.exports = {
  async up(queryInterface) {
    await queryInterface.bulkUpdate('visits', { status: 'over_limit' }, {});
    await queryInterface.sequelize.query("UPDATE visits SET status = 'over_limit'");
  },
  async down() {},
};
