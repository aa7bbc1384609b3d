// An imported constant default: the ALTER TABLE still takes ACCESS EXCLUSIVE, whatever the value is.
const { LOCATION_BOOKABLE_VIEW } = require('../../fixtures/orm-constants/constants');

module.exports = {
  async up(query, Sequelize) {
    await query.addColumn('location_groups', 'bookable_view', {
      type: Sequelize.STRING,
      allowNull: false,
      defaultValue: LOCATION_BOOKABLE_VIEW.NO,
    });
  },
  async down(query) {
    await query.removeColumn('location_groups', 'bookable_view');
  },
};
