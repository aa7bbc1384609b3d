// The column's options come from a call of the project's code, its array type from a name the file does not fix:
// the SQL's shape, not only a name, is unknown, so each call is still not analysed.
const { columnOf } = require('./columns');

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addColumn('patients', 'visibility_status', columnOf('visibility'));
    await queryInterface.addColumn('patients', 'merged_into', { type: Sequelize.ARRAY(MERGE_TYPE), allowNull: true });
  },
};
