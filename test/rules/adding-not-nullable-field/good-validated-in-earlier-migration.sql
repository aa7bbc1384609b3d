-- The CHECK was added NOT VALID by the previous migration.
ALTER TABLE recipes VALIDATE CONSTRAINT view_count_not_null;
ALTER TABLE recipes ALTER COLUMN view_count SET NOT NULL;
