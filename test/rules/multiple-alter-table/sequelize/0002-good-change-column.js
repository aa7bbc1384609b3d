// Sequelize's changeColumn sends three ALTER TABLEs on one column (NOT NULL, default, type): they are the
// framework's statements, not SQL the author could combine.
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.changeColumn('users', 'slackId', {
      type: Sequelize.STRING,
      allowNull: false,
    });
  },
  async down() {},
};
