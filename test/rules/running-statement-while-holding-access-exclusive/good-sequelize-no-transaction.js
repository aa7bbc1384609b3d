'use strict';

// preflight-transaction: none
// Plain sequelize-cli runs each call on its own: the rename's lock ends before the index build starts.
module.exports = {
  async up(queryInterface) {
    await queryInterface.renameColumn('documents', 'text', 'body');
    await queryInterface.addIndex('documents', ['collectionId']);
  },
  async down(queryInterface) {
    await queryInterface.removeIndex('documents', ['collectionId']);
    await queryInterface.renameColumn('documents', 'body', 'text');
  },
};
