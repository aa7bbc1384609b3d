BEGIN;
ALTER TABLE plans ADD COLUMN tier text;
COMMIT;

BEGIN;
UPDATE plans SET tier = 'basic' WHERE tier IS NULL;
COMMIT;
