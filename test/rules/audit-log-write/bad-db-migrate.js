exports.up = function (db) {
  return db.runSql("UPDATE change_log SET note = 'redacted'");
};

exports.down = function () {
  return null;
};
