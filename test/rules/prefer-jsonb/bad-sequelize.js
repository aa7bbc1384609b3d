'use strict';

module.exports = {
  async up(queryInterface) {
    await queryInterface.sequelize.query('ALTER TABLE "Documents" ADD COLUMN "state" json');
  },
  async down(queryInterface) {
    await queryInterface.sequelize.query('ALTER TABLE "Documents" DROP COLUMN "state"');
  },
};
