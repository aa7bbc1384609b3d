-- The dedupe hotfix from incident 1: schema change and data rewrite in one migration.
ALTER TABLE sync_lookup ADD COLUMN record_key text;

UPDATE sync_lookup
   SET record_key = record_type || ':' || record_id
 WHERE record_key IS NULL;
