// NOT NULL with a default from the project's constants module: existing rows get the default, nothing fails.
const { LOCATION_BOOKABLE_VIEW } = require('../../fixtures/orm-constants/constants');

module.exports = {
  async up(query, Sequelize) {
    await query.addColumn('location_groups', 'bookable_view', {
      type: Sequelize.STRING,
      allowNull: false,
      defaultValue: LOCATION_BOOKABLE_VIEW.NO,
    });
  },
};
