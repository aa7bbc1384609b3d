-- preflight-ignore-file mixed-ddl-dml
ALTER TABLE plans ADD COLUMN tier text;
UPDATE plans SET tier = 'basic';
