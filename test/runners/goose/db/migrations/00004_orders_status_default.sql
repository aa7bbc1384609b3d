-- +goose Up
-- +goose StatementBegin
ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'open';
-- +goose StatementEnd

-- +goose Down
UPDATE orders SET status = 'new' WHERE status = 'open';
