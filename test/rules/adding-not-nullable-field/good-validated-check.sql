-- preflight-transaction: none
ALTER TABLE recipes ADD CONSTRAINT view_count_not_null CHECK (view_count IS NOT NULL) NOT VALID;
ALTER TABLE recipes VALIDATE CONSTRAINT view_count_not_null;
ALTER TABLE recipes ALTER COLUMN view_count SET NOT NULL;
ALTER TABLE recipes DROP CONSTRAINT view_count_not_null;
