'use strict';

/** Sequelize migration: adds a column and backfills it in the same (wrapped) migration. */
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addColumn('encounters', 'status', { type: Sequelize.TEXT });
    await queryInterface.bulkUpdate('encounters', { status: 'open' }, { status: null });
  },

  async down(queryInterface) {
    await queryInterface.removeColumn('encounters', 'status');
  },
};
