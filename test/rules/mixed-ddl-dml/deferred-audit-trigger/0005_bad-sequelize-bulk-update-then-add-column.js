'use strict';

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.bulkUpdate('sync_lookup', { record_type: 'patient' }, { record_type: 'Patient' });
    await queryInterface.addColumn('sync_lookup', 'verified', { type: Sequelize.BOOLEAN });
  },
  async down(queryInterface) {
    await queryInterface.removeColumn('sync_lookup', 'verified');
  },
};
