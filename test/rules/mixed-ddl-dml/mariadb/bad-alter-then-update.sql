ALTER TABLE sync_lookup ADD COLUMN record_key VARCHAR(255) NULL;
UPDATE sync_lookup SET record_key = CONCAT(record_type, ':', record_id) WHERE record_key IS NULL LIMIT 10000;
