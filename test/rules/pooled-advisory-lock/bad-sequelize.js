'use strict';

const { Sequelize } = require('sequelize');

module.exports = {
  async up(queryInterface) {
    // Without a transaction option, every query takes a connection from the pool.
    await queryInterface.sequelize.query('SELECT pg_advisory_lock(11)');
    await queryInterface.bulkDelete('demo_bookings', {});
    await queryInterface.sequelize.query('SELECT pg_advisory_unlock(11)');
  },
  async down() {},
};

async function reseed() {
  const db = new Sequelize(process.env.DATABASE_URL);
  await db.query('SELECT pg_advisory_lock(12)');
  const t = await db.transaction();
  await db.query('SELECT pg_advisory_unlock(12)', { transaction: t });
  await t.commit();
}

module.exports.reseed = reseed;
