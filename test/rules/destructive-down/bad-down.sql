-- diesel's down.sql for a migration that added billing codes: rolling back loses every code entered since.
DROP TABLE billing_codes;
ALTER TABLE visits DROP COLUMN billing_code;
DROP INDEX IF EXISTS visits_billing_code_idx;
