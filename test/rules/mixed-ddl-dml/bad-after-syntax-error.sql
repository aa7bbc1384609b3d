ALTER TABLE plans ADD COLUMN tier text;
SELEC broken statement;
DELETE FROM plans WHERE tier IS NULL;
