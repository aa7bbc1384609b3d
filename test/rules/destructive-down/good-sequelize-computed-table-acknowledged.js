// The same drop of a table named by a workspace constant, with what it loses said where it happens.
const { TABLE_NAMES } = require('@tamanu/constants');

module.exports = {
  async up(query, Sequelize) {
    await query.createTable(TABLE_NAMES.PORTAL_USERS, {
      id: { type: Sequelize.UUID, primaryKey: true },
      email: { type: Sequelize.TEXT, allowNull: false },
    });
  },
  async down(query) {
    // DESTRUCTIVE: drops the portal users table; accounts created since the up migration are lost.
    await query.dropTable(TABLE_NAMES.PORTAL_USERS);
  },
};
