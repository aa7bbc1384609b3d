CREATE TABLE orders (placed_at timestamptz NOT NULL, shipped_at timestamp(3) with time zone, due date);
