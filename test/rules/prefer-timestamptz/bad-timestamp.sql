CREATE TABLE orders (placed_at timestamp NOT NULL, shipped_at TIMESTAMP(3) WITHOUT TIME ZONE);
ALTER TABLE orders ADD COLUMN cancelled_at timestamp;
