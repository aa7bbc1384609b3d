CREATE TABLE patients (id bigint PRIMARY KEY);
CREATE TABLE encounters (id bigint PRIMARY KEY, patient_id bigint, facility_id bigint);
CREATE INDEX encounters_facility_id_idx ON encounters (facility_id) WHERE facility_id IS NOT NULL;
