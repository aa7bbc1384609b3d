// The table is named by an imported constant: whatever it is, CREATE INDEX without CONCURRENTLY blocks its writes.
const { TABLE_NAME } = require('../../constants/appointments');

module.exports = {
  async up(queryInterface) {
    await queryInterface.addIndex(TABLE_NAME, ['location_group_id', 'start_time']);
  },
  async down(queryInterface) {
    await queryInterface.removeIndex(TABLE_NAME, ['location_group_id', 'start_time']);
  },
};
