-- Pending events on sync_lookup do not stop an ALTER TABLE of another table.
UPDATE sync_lookup SET record_type = lower(record_type);
ALTER TABLE facilities ADD COLUMN code text;
