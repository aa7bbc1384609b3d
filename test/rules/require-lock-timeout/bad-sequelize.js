module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addColumn('Users', 'planId', Sequelize.BIGINT);
  },
};
