// node-pg-migrate's `pgm` and db-migrate's `db` run every statement of a migration on one connection.
exports.up = (pgm) => {
  pgm.sql('SELECT pg_advisory_lock(100)');
  pgm.sql('UPDATE plans SET tier = 1');
  pgm.sql('SELECT pg_advisory_unlock(100)');
};

exports.down = function (db) {
  db.runSql('SELECT pg_advisory_lock(101)');
  return db.runSql('SELECT pg_advisory_unlock(101)');
};
