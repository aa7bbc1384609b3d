'use strict';

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.renameColumn('documents', 'text', 'body');
    await queryInterface.addIndex('documents', ['collectionId']);
  },
  async down(queryInterface) {
    await queryInterface.removeIndex('documents', ['collectionId']);
    await queryInterface.renameColumn('documents', 'body', 'text');
  },
};
