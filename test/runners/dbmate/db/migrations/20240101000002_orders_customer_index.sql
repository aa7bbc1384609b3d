-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS orders_customer_idx;
