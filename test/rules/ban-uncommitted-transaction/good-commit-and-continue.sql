-- "Commit and continue": the runner commits the transaction the last BEGIN opens.
DELETE FROM sessions WHERE expired;
COMMIT;
BEGIN;
ALTER TABLE sessions ADD COLUMN token text;
