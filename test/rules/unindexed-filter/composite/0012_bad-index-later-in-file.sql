UPDATE orders SET status = 'void' WHERE status = 'pending';
CREATE INDEX orders_status_idx ON orders (status);
