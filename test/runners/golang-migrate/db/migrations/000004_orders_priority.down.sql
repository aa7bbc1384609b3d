-- DESTRUCTIVE: drops orders.priority, the priorities set since this migration ran
ALTER TABLE orders DROP COLUMN priority;
