// The default is an imported constant: the column still becomes NOT NULL, which scans the table under lock.
const { LOCATION_BOOKABLE_VIEW } = require('../../../fixtures/orm-constants/constants');

module.exports = {
  async up(query, Sequelize) {
    await query.changeColumn('location_groups', 'is_bookable', {
      type: Sequelize.STRING,
      allowNull: false,
      defaultValue: LOCATION_BOOKABLE_VIEW.NO,
    });
  },
  async down(query, Sequelize) {
    await query.changeColumn('location_groups', 'is_bookable', { type: Sequelize.STRING, allowNull: true });
  },
};
