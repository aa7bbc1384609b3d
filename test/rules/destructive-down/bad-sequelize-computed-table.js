// The table's name comes from a constant of a workspace package: the down still drops it and its rows.
const { TABLE_NAMES } = require('@tamanu/constants');

module.exports = {
  async up(query, Sequelize) {
    await query.createTable(TABLE_NAMES.PORTAL_USERS, {
      id: { type: Sequelize.UUID, primaryKey: true },
      email: { type: Sequelize.TEXT, allowNull: false },
    });
  },
  async down(query) {
    await query.dropTable(TABLE_NAMES.PORTAL_USERS);
  },
};
