'use strict';

module.exports = {
  async up(queryInterface) {
    const cutoff = process.argv[2];
    await queryInterface.sequelize.query('DELETE FROM sessions WHERE created_at < ' + cutoff);
  },
  async down() {},
};
