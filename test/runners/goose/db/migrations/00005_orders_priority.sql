-- +goose Up
ALTER TABLE orders ADD COLUMN priority integer;
UPDATE orders SET priority = 0 WHERE priority IS NULL;

-- +goose Down
-- DESTRUCTIVE: drops orders.priority, the priorities set since this migration ran
ALTER TABLE orders DROP COLUMN priority;
