'use strict';

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('teams', { id: { type: Sequelize.UUID, primaryKey: true } });
  },
  async down(queryInterface) {
    await queryInterface.dropTable('teams');
  },
};
