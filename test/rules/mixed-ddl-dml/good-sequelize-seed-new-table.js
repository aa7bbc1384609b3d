'use strict';

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('visit_types', {
      id: { type: Sequelize.INTEGER, primaryKey: true },
      name: { type: Sequelize.TEXT, allowNull: false },
    });
    await queryInterface.bulkInsert('visit_types', [{ id: 1, name: 'clinic' }, { id: 2, name: 'home' }]);
  },
  async down(queryInterface) {
    await queryInterface.dropTable('visit_types');
  },
};
