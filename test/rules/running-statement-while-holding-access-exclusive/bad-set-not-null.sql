ALTER TABLE visits DROP COLUMN legacy_code;
ALTER TABLE visits ALTER COLUMN facility_id SET NOT NULL;
