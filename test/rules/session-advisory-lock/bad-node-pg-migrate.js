exports.up = (pgm) => {
  pgm.sql('SELECT pg_advisory_lock(100)');
  pgm.sql('UPDATE plans SET tier = 1');
};
