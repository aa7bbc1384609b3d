BEGIN;
SET LOCAL lock_timeout = '2s';
ALTER TABLE patients RENAME COLUMN dob TO date_of_birth;
-- While this waits for encounters (a long report may be reading it), nobody can read patients.
ALTER TABLE encounters ADD COLUMN reviewed_at timestamptz;
ALTER TABLE facilities ADD COLUMN region text;
COMMIT;
