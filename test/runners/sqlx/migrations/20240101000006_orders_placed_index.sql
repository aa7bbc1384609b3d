CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_placed_idx ON orders (customer_id, id);
