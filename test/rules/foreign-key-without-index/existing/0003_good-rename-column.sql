-- Renaming the column of a foreign key (or the constraint) adds no foreign key.
ALTER TABLE encounters RENAME COLUMN patient_id TO subject_id;
ALTER TABLE encounters RENAME CONSTRAINT encounters_patient_fk TO encounters_subject_fk;
