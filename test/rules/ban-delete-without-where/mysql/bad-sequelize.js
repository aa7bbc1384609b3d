'use strict';

module.exports = {
  async up(queryInterface) {
    await queryInterface.bulkDelete('sync_lookup', null);
  },
  async down() {},
};
