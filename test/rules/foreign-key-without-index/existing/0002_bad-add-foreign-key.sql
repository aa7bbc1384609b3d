-- encounters existed before: its rows are scanned for each deleted patient.
ALTER TABLE encounters ADD CONSTRAINT encounters_patient_fk FOREIGN KEY (patient_id) REFERENCES patients (id) NOT VALID;
-- A partial index does not serve every lookup.
ALTER TABLE encounters ADD CONSTRAINT encounters_facility_fk FOREIGN KEY (facility_id) REFERENCES facilities (id);
