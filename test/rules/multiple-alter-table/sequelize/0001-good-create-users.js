module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('users', {
      id: { type: Sequelize.INTEGER, primaryKey: true },
      slackId: { type: Sequelize.INTEGER },
    });
  },
  async down() {},
};
