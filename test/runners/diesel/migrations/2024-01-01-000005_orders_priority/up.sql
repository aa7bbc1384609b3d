ALTER TABLE orders ADD COLUMN priority integer;
UPDATE orders SET priority = 0 WHERE priority IS NULL;
