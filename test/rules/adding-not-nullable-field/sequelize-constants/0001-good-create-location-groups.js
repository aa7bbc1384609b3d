// A table whose defaults come from the project's constants module: created as Sequelize sends it, so that the next
// migration knows is_bookable is nullable.
const { VISIBILITY_STATUSES } = require('../../../fixtures/orm-constants/constants');

module.exports = {
  async up(query, Sequelize) {
    await query.createTable('location_groups', {
      id: { type: Sequelize.UUID, primaryKey: true, defaultValue: Sequelize.fn('gen_random_uuid') },
      name: { type: Sequelize.TEXT, allowNull: false },
      is_bookable: { type: Sequelize.STRING },
      visibility_status: { type: Sequelize.TEXT, defaultValue: VISIBILITY_STATUSES.CURRENT },
    });
  },
  async down(query) {
    await query.dropTable('location_groups');
  },
};
