ALTER TABLE visits
  ALTER COLUMN facility_id SET NOT NULL,
  ALTER COLUMN patient_id SET NOT NULL,
  ADD CONSTRAINT visits_positive_fee CHECK (fee >= 0);
-- Catalog-only changes cost no pass over the table.
ALTER TABLE visits ADD COLUMN billing_code text;
ALTER TABLE visits RENAME COLUMN note TO remarks;
-- Index builds are separate passes even in one statement.
ALTER TABLE visits ADD CONSTRAINT visits_code_key UNIQUE (code);
ALTER TABLE visits ADD CONSTRAINT visits_ref_key UNIQUE (ref);
