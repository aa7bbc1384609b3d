'use strict';

module.exports = {
  async up(queryInterface) {
    await queryInterface.removeColumn('Users', 'legacyPlan');
  },
  async down(queryInterface, Sequelize) {
    await queryInterface.addColumn('Users', 'legacyPlan', Sequelize.STRING);
  },
};
