'use strict';

// The backfill lives in a helper, as it does in real migrations; it still runs inside `up`'s transaction,
// between the two schema changes.
async function backfillStatus(queryInterface) {
  await queryInterface.sequelize.query("UPDATE orders SET status = 'open' WHERE status IS NULL");
}

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addColumn('orders', 'status', { type: Sequelize.STRING });
    await backfillStatus(queryInterface);
    await queryInterface.changeColumn('orders', 'status', { type: Sequelize.STRING, allowNull: false });
  },

  async down(queryInterface) {
    await queryInterface.removeColumn('orders', 'status');
  },
};
