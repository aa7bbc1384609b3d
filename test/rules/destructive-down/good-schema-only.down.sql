DROP INDEX IF EXISTS visits_billing_code_idx;
ALTER TABLE visits DROP CONSTRAINT IF EXISTS visits_billing_code_fkey;
DELETE FROM billing_codes WHERE code IN ('A01', 'A02');
