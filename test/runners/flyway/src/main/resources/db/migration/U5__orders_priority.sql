ALTER TABLE orders DROP COLUMN priority;
