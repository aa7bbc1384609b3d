CREATE INDEX orders_status_idx ON orders (status);
UPDATE orders SET status = 'void' WHERE status = 'pending';
DROP INDEX orders_status_idx;
