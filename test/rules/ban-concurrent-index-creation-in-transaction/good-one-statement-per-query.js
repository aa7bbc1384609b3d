exports.up = async (db) => {
  await db.runSql('CREATE INDEX CONCURRENTLY orders_region_idx ON orders (region)');
  await db.runSql('CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)');
};
