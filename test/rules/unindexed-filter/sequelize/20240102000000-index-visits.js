'use strict';

module.exports = {
  async up(queryInterface) {
    // Sequelize names it visits_account_id_visited_at.
    await queryInterface.addIndex('visits', ['accountId', 'visitedAt']);
    await queryInterface.addIndex('accounts', { fields: ['region', 'plan'], name: 'accounts_region_plan' });
  },

  async down(queryInterface) {
    await queryInterface.removeIndex('visits', ['accountId', 'visitedAt']);
    await queryInterface.removeIndex('accounts', 'accounts_region_plan');
  },
};
