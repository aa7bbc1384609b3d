-- migrate:up
ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'open';

-- migrate:down
UPDATE orders SET status = 'new' WHERE status = 'open';
