module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('notifications', {
      id: { type: Sequelize.UUID, primaryKey: true },
      userId: { type: Sequelize.UUID, allowNull: false },
      teamId: { type: Sequelize.UUID },
    });
  },
  async down(queryInterface) {
    await queryInterface.dropTable('notifications');
  },
};
