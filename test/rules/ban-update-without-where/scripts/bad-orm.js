'use strict';

// A one-off script (no up/down) run with the app's Sequelize instance.
const { Sequelize } = require('sequelize');

async function main() {
  const sequelize = new Sequelize(process.env.DATABASE_URL);
  const queryInterface = sequelize.getQueryInterface();
  await queryInterface.bulkUpdate('users', { locale: 'en' }, {});
  await queryInterface.bulkUpdate('users', { locale: null }, { locale: 'en' });
}

main();
