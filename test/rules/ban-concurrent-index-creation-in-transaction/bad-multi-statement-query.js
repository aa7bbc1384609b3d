// Even `--non-transactional`, where db-migrate runs each runSql on its own, one query string with two statements is
// one implicit transaction block: both CONCURRENTLY builds fail.
exports.up = async (db) => {
  await db.runSql('CREATE INDEX CONCURRENTLY orders_region_idx ON orders (region); CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)');
};
