ALTER TABLE sync_lookup ALTER COLUMN record_type SET DEFAULT 'link';
CREATE TABLE sync_conflicts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  patient_id bigint NOT NULL REFERENCES patients (id)
);
