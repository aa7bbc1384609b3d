-- The dedupe hotfix from the incident: schema change, data rewrite and audit-log deletes in one migration.
ALTER TABLE sync_lookup ADD COLUMN is_duplicate boolean NOT NULL DEFAULT false;

UPDATE sync_lookup
   SET is_duplicate = true
 WHERE record_type = 'patient'
   AND record_id NOT IN (SELECT id::text FROM patients WHERE merged_into IS NULL);

DELETE FROM logs.changes WHERE table_name = 'sync_lookup' AND record_id IN ('2');

ALTER TABLE sync_lookup ALTER COLUMN is_duplicate DROP DEFAULT;
