'use strict';

const { Sequelize } = require('sequelize');

async function main() {
  const sequelize = new Sequelize(process.env.DATABASE_URL, { dialect: 'mysql' });
  const queryInterface = sequelize.getQueryInterface();
  await queryInterface.bulkDelete('sync_lookup', null);
}

main();
