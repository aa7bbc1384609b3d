'use strict';

module.exports = {
  async up(queryInterface) {
    await queryInterface.bulkDelete('notification_settings', null, {});
  },
  async down(queryInterface) {
    await queryInterface.bulkDelete('notification_settings', {});
  },
};
