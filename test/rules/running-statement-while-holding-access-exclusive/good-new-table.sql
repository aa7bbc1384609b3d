CREATE TABLE visit_audit (id bigint, payload jsonb);
ALTER TABLE visit_audit ADD COLUMN created_at timestamptz;
CREATE INDEX visit_audit_created_at_idx ON visit_audit (created_at);
ALTER TABLE visits ADD COLUMN billing_code text;
