// A column of the project's own data type (added to Sequelize's DataTypes at run time) made NOT NULL: whatever the
// type, SET NOT NULL scans the table under ACCESS EXCLUSIVE.
module.exports = {
  async up(query, Sequelize) {
    await query.changeColumn('location_groups', 'visibility_status', {
      type: Sequelize.VISIBILITY_STATUS,
      allowNull: false,
    });
  },
  async down(query, Sequelize) {
    await query.changeColumn('location_groups', 'visibility_status', {
      type: Sequelize.VISIBILITY_STATUS,
      allowNull: true,
    });
  },
};
