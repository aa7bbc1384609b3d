-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_customer_idx ON orders (status, customer_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_status_idx ON orders (customer_id, status);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS orders_customer_status_idx;
DROP INDEX CONCURRENTLY IF EXISTS orders_status_customer_idx;
