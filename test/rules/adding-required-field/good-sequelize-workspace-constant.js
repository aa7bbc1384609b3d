// NOT NULL with a default from a workspace package the lint cannot read: a default all the same, never none.
const { VISIBILITY_STATUSES } = require('@tamanu/constants');

module.exports = {
  async up(query, Sequelize) {
    await query.addColumn('patients', 'visibility_status', {
      type: Sequelize.TEXT,
      allowNull: false,
      defaultValue: VISIBILITY_STATUSES.CURRENT,
    });
  },
};
