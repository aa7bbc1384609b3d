-- +migrate Up
-- +migrate StatementBegin
ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'open';
-- +migrate StatementEnd

-- +migrate Down
UPDATE orders SET status = 'new' WHERE status = 'open';
