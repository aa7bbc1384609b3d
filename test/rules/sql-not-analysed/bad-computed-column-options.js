// The column's type and options come from a call of the project's code: the SQL's shape, not only a name, is
// unknown, so the call is still not analysed.
const { columnOf } = require('./columns');

module.exports = {
  async up(queryInterface) {
    await queryInterface.addColumn('patients', 'visibility_status', columnOf('visibility'));
    await queryInterface.addColumn('patients', 'merged_into', { type: MERGE_TYPE, allowNull: true });
  },
};
