'use strict';

module.exports = {
  async up(queryInterface) {
    await queryInterface.sequelize.transaction(async (t) => {
      await queryInterface.sequelize.query('SELECT pg_advisory_xact_lock(11)', { transaction: t });
      await queryInterface.sequelize.query('SELECT pg_advisory_lock(12)', { transaction: t });
      await queryInterface.sequelize.query('SELECT pg_advisory_unlock(12)', { transaction: t });
    });
  },
  async down() {},
};
