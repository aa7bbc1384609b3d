module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.changeColumn('Events', 'payload', { type: Sequelize.JSONB });
  },
};
