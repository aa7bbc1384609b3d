-- Up Migration
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);

-- Down Migration
DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;
