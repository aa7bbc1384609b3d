ALTER TABLE plans ADD COLUMN tier text;
-- preflight-ignore mixed-ddl-dml: plans has 12 rows and no audit trigger
UPDATE plans SET tier = 'basic';
