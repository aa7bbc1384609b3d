CREATE INDEX orders_placed_idx ON orders (customer_id, status);
