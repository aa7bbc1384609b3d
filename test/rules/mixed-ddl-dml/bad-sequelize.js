'use strict';

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addColumn('encounters', 'status', { type: Sequelize.TEXT });
    await queryInterface.sequelize.query(`UPDATE encounters SET status = 'open' WHERE status IS NULL`);
  },

  async down(queryInterface) {
    await queryInterface.removeColumn('encounters', 'status');
  },
};
