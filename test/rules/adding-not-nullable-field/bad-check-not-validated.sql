-- The CHECK is never validated, so SET NOT NULL still scans the table.
ALTER TABLE recipes ADD CONSTRAINT view_count_not_null CHECK (view_count IS NOT NULL) NOT VALID;
ALTER TABLE recipes ALTER COLUMN view_count SET NOT NULL;
