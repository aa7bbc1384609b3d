'use strict';

const { Sequelize } = require('sequelize');

async function main() {
  const sequelize = new Sequelize(process.env.DATABASE_URL, { dialect: 'mysql' });
  const queryInterface = sequelize.getQueryInterface();
  await queryInterface.bulkUpdate('visits', { status: 'over_limit' }, {});
  await queryInterface.sequelize.query("UPDATE visits SET status = 'over_limit'");
}

main();
