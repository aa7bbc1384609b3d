'use strict';

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addColumn('documents', 'summary', { type: Sequelize.TEXT });
    await queryInterface.createTable('document_views', { id: { type: Sequelize.UUID, primaryKey: true } });
  },
  async down(queryInterface) {
    await queryInterface.removeColumn('documents', 'summary');
    await queryInterface.dropTable('document_views');
  },
};
