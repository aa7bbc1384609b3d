-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_customer_idx ON orders (status, customer_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_status_idx ON orders (customer_id, status);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS orders_customer_status_idx;
DROP INDEX CONCURRENTLY IF EXISTS orders_status_customer_idx;
