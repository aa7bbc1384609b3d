-- The index build reads every row while the ALTER's ACCESS EXCLUSIVE lock is still held: even SELECTs wait.
ALTER TABLE visits ADD COLUMN billing_code text;
CREATE INDEX visits_billing_code_idx ON visits (billing_code);
