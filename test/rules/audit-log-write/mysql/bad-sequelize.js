'use strict';

module.exports = {
  async up(queryInterface) {
    await queryInterface.bulkDelete('audit_log', { actor: null });
    await queryInterface.sequelize.query('REPLACE INTO `audit_log` (`id`, `actor`) VALUES (1, \'system\')');
  },
  async down() {},
};
