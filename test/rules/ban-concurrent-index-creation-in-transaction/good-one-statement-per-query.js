// db-migrate wraps each migration in BEGIN/COMMIT unless run `db-migrate up --non-transactional`, as this project
// does: then each runSql runs on its own, and CONCURRENTLY with it.
// preflight-transaction: none
exports.up = async (db) => {
  await db.runSql('CREATE INDEX CONCURRENTLY orders_region_idx ON orders (region)');
  await db.runSql('CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)');
};
