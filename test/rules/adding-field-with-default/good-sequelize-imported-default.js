// A constant default, imported: PostgreSQL 11+ stores it in the catalog and rewrites nothing.
const { VISIBILITY_STATUSES } = require('../../fixtures/orm-constants/constants');

module.exports = {
  async up(query, Sequelize) {
    await query.addColumn('patients', 'visibility_status', {
      type: Sequelize.TEXT,
      allowNull: false,
      defaultValue: VISIBILITY_STATUSES.CURRENT,
    });
  },
};
