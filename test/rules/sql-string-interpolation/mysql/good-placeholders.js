const mysql = require('mysql2/promise');

const TABLE = 'plans';

exports.up = async function (knex) {
  await knex.raw('UPDATE ?? SET tier = ? WHERE id = ?', ['plans', 'pro', 42]);
  await knex.raw(`UPDATE ${TABLE} SET tier = 'free' WHERE tier IS NULL`);
};

async function rename(connection, table) {
  await connection.query(`ALTER TABLE ${mysql.escapeId(table)} RENAME TO ${connection.escapeId(table + '_old')}`);
  await connection.execute('DELETE FROM sessions WHERE created_at < ?', [new Date()]);
}

exports.down = async function () {};
module.exports.rename = rename;
