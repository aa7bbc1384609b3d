'use strict';

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addColumn('documents', 'version', { type: Sequelize.INTEGER });
    await queryInterface.sequelize.query('UPDATE documents SET version = 1');
  },
  async down(queryInterface) {
    await queryInterface.removeColumn('documents', 'version');
  },
};
