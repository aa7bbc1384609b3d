ALTER TABLE orders ADD COLUMN note text;
CREATE INDEX CONCURRENTLY orders_placed_idx ON orders (placed_at);
