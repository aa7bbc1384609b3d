-- SET CONSTRAINTS ... IMMEDIATE fires the queued events first: the ALTER TABLE then runs.
UPDATE sync_lookup SET record_type = 'patient' WHERE record_type = 'Patient';
SET CONSTRAINTS sync_lookup_audit IMMEDIATE;
ALTER TABLE sync_lookup ADD COLUMN checked boolean;
