// Sequelize's changeColumn restates `allowNull: false` as SET NOT NULL; on a column already NOT NULL PostgreSQL
// does nothing, so there is no scan to warn about (the migration only changes the foreign key's ON DELETE).
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.changeColumn('notifications', 'userId', {
      type: Sequelize.UUID,
      allowNull: false,
      onDelete: 'cascade',
    });
  },
  async down() {},
};
