'use strict';

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('documents', {
      id: { type: Sequelize.UUID, primaryKey: true },
      teamId: { type: Sequelize.UUID, references: { model: 'teams' } },
    });
  },
  async down(queryInterface) {
    await queryInterface.dropTable('documents');
  },
};
