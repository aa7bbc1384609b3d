exports.up = function (db) {
  return db.runSql('SELECT pg_advisory_lock(5); UPDATE plans SET tier = 1; SELECT pg_advisory_unlock(6);');
};
