-- +migrate Up
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);

-- +migrate Down notransaction
DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;
