// A constant of a workspace package the lint cannot read: some constant value, and the ALTER TABLE still locks.
const { VISIBILITY_STATUSES } = require('@tamanu/constants');

module.exports = {
  async up(query, Sequelize) {
    await query.addColumn('patients', 'visibility_status', {
      type: Sequelize.TEXT,
      allowNull: false,
      defaultValue: VISIBILITY_STATUSES.CURRENT,
    });
  },
  async down(query) {
    await query.removeColumn('patients', 'visibility_status');
  },
};
