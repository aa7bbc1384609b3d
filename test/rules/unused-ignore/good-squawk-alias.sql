ALTER TABLE plans ADD COLUMN tier text;
-- squawk-ignore mixed-ddl-dml
UPDATE plans SET tier = 'basic';
