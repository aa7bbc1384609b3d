'use strict';

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addColumn('documents', 'summary', { type: Sequelize.TEXT });
  },
  async down(queryInterface) {
    // DESTRUCTIVE: removes documents.summary; summaries written since the up migration are lost.
    await queryInterface.removeColumn('documents', 'summary');
  },
};
