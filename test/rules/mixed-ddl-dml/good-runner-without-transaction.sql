-- preflight-transaction: none
-- This project's runner executes each statement on its own (autocommit).
ALTER TABLE plans ADD COLUMN tier text;
UPDATE plans SET tier = 'basic' WHERE tier IS NULL;
