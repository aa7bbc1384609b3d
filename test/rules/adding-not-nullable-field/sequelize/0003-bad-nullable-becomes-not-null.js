// teamId was created nullable: here SET NOT NULL really scans the table under ACCESS EXCLUSIVE.
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.changeColumn('notifications', 'teamId', {
      type: Sequelize.UUID,
      allowNull: false,
    });
  },
  async down() {},
};
