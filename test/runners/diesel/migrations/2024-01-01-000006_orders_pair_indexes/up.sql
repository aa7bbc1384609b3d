CREATE INDEX CONCURRENTLY orders_priority_idx ON orders (priority);
CREATE INDEX CONCURRENTLY orders_customer_status_idx ON orders (customer_id, status);
