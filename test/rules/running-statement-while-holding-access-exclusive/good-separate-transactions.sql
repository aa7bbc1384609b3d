BEGIN;
ALTER TABLE visits ADD COLUMN billing_code text;
COMMIT;
BEGIN;
ALTER TABLE encounters ADD COLUMN reviewed_at timestamptz;
COMMIT;
