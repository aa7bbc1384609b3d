-- Two NOT NULL checks, two full scans of visits, each blocking reads.
ALTER TABLE visits ALTER COLUMN facility_id SET NOT NULL;
ALTER TABLE visits ALTER COLUMN patient_id SET NOT NULL;
ALTER TABLE visits ADD CONSTRAINT visits_positive_fee CHECK (fee >= 0);
