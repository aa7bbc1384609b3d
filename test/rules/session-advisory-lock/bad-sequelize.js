'use strict';

module.exports = {
  async up(queryInterface) {
    await queryInterface.sequelize.query('SELECT pg_try_advisory_lock(7)');
  },
  // `down` runs on its own, later: it does not release the lock `up` took.
  async down(queryInterface) {
    await queryInterface.sequelize.query('SELECT pg_advisory_unlock(7)');
  },
};
