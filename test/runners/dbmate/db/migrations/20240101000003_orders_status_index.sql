-- migrate:up
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;
