'use strict';

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.sequelize.transaction(async (transaction) => {
      await queryInterface.bulkUpdate('sync_lookup', { record_type: 'patient' }, { record_type: 'Patient' }, { transaction });
      await queryInterface.sequelize.query('ALTER TABLE `sync_lookup` ADD COLUMN `verified` TINYINT(1) NOT NULL DEFAULT 0', { transaction });
    });
  },
  async down(queryInterface) {
    await queryInterface.removeColumn('sync_lookup', 'verified');
  },
};
