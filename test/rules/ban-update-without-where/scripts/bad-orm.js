'use strict';

module.exports = {
  async up(queryInterface) {
    await queryInterface.bulkUpdate('users', { locale: 'en' }, {});
  },
  async down(queryInterface, Sequelize) {
    await queryInterface.bulkUpdate('users', { locale: null }, { locale: 'en' });
  },
};
