-- created_at is the second column of the only index that has it.
UPDATE orders SET status = 'archived' WHERE created_at < '2020-01-01';
