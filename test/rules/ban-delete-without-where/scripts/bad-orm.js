'use strict';

// A one-off script (no up/down) run with the app's Sequelize instance.
const { Sequelize } = require('sequelize');

async function main() {
  const sequelize = new Sequelize(process.env.DATABASE_URL);
  const queryInterface = sequelize.getQueryInterface();
  await queryInterface.bulkDelete('notification_settings', null, {});
  await queryInterface.bulkDelete('notification_settings', {});
}

main();
