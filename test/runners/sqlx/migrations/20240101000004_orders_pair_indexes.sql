-- no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_customer_idx ON orders (status, customer_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_status_idx ON orders (customer_id, status);
