'use strict';

module.exports = {
  async up(queryInterface, Sequelize) {
    // sequelize-cli runs a migration's calls on their own unless it opens a transaction; this one does.
    await queryInterface.sequelize.transaction(async (transaction) => {
      await queryInterface.bulkUpdate('sync_lookup', { record_type: 'patient' }, { record_type: 'Patient' }, { transaction });
      await queryInterface.addColumn('sync_lookup', 'verified', { type: Sequelize.BOOLEAN }, { transaction });
    });
  },
  async down(queryInterface) {
    await queryInterface.removeColumn('sync_lookup', 'verified');
  },
};
