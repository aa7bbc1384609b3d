-- Up Migration
ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'open';

-- Down Migration
UPDATE orders SET status = 'new' WHERE status = 'open';
