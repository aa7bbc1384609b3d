-- DDL / DML / DDL in one transaction: the second ALTER TABLE fails with pending trigger events.
ALTER TABLE sync_lookup ADD COLUMN record_key text;
UPDATE sync_lookup SET record_key = record_type || ':' || record_id;
ALTER TABLE sync_lookup ALTER COLUMN record_key SET NOT NULL;
