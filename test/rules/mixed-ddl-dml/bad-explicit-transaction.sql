BEGIN;
UPDATE patients SET deleted_at = now() WHERE merged_into IS NOT NULL;
ALTER TABLE patients DROP COLUMN merged_into;
COMMIT;
