-- +migrate Up notransaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id);

-- +migrate Down notransaction
DROP INDEX CONCURRENTLY IF EXISTS orders_customer_idx;
