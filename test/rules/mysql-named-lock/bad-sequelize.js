const { Sequelize } = require('sequelize');

const sequelize = new Sequelize(process.env.DATABASE_URL, { dialect: 'mysql' });

async function reset() {
  await sequelize.query("SELECT GET_LOCK('demo_reset', 10)");
  await sequelize.query('DELETE FROM demo_bookings WHERE demo = 1');
}

module.exports = { reset };
