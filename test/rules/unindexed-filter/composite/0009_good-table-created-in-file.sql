-- A table created by this migration is empty while it runs.
CREATE TABLE order_notes (id bigint, body text);
DELETE FROM order_notes WHERE body = '';
