CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);
COMMENT ON INDEX orders_status_idx IS 'open orders by status';
