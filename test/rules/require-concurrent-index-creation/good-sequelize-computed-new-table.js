// The same constant names the table this migration creates just before: an index on a new, empty table blocks nobody.
const { TABLE_NAME } = require('../../constants/appointments');

module.exports = {
  async up(query, Sequelize) {
    await query.createTable(TABLE_NAME, {
      id: { type: Sequelize.UUID, primaryKey: true },
      location_group_id: { type: Sequelize.UUID },
      start_time: { type: Sequelize.DATE },
    });
    await query.addIndex(TABLE_NAME, ['location_group_id', 'start_time']);
  },
  async down(query) {
    await query.dropTable(TABLE_NAME);
  },
};
