'use strict';

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.sequelize.transaction(async (transaction) => {
      await queryInterface.renameColumn('documents', 'text', 'body', { transaction });
      await queryInterface.addIndex('documents', ['collectionId'], { transaction });
    });
  },
  async down(queryInterface) {
    await queryInterface.removeIndex('documents', ['collectionId']);
    await queryInterface.renameColumn('documents', 'body', 'text');
  },
};
