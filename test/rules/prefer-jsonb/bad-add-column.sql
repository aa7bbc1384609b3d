-- A webhook payload column added as json: SELECT DISTINCT over the table now fails.
ALTER TABLE webhook_deliveries ADD COLUMN payload json;
ALTER TABLE webhook_deliveries ADD COLUMN headers JSON[] NOT NULL DEFAULT '{}';
