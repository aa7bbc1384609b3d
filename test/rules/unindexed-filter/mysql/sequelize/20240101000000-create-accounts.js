'use strict';

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('accounts', {
      id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true },
      email: { type: Sequelize.STRING(320), allowNull: false, unique: true },
      plan: { type: Sequelize.STRING, allowNull: false, defaultValue: 'free' },
      region: { type: Sequelize.STRING(16), allowNull: false },
      createdAt: { type: Sequelize.DATE, allowNull: false },
    });
    await queryInterface.createTable('visits', {
      id: { type: Sequelize.BIGINT, autoIncrement: true, primaryKey: true },
      accountId: {
        type: Sequelize.INTEGER,
        allowNull: false,
        references: { model: 'accounts', key: 'id' },
        onDelete: 'CASCADE',
      },
      status: { type: Sequelize.ENUM('open', 'billed', 'over_limit'), allowNull: false },
      visitedAt: { type: Sequelize.DATE, allowNull: false },
    });
  },

  async down(queryInterface) {
    await queryInterface.dropTable('visits');
    await queryInterface.dropTable('accounts');
  },
};
