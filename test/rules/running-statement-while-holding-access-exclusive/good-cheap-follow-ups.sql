-- Catalog-only changes to the same table, new tables, and data changes (mixed-ddl-dml's concern).
ALTER TABLE visits ADD COLUMN billing_code text;
ALTER TABLE visits ALTER COLUMN billing_code SET DEFAULT 'none';
COMMENT ON COLUMN visits.billing_code IS 'ICD-10 code';
CREATE TABLE billing_codes (code text PRIMARY KEY);
CREATE INDEX billing_codes_code_idx ON billing_codes (code);
CREATE TABLE visit_notes (visit_id bigint REFERENCES visits (id), note text);
