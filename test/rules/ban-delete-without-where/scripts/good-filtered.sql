CREATE TABLE import_staging (id bigint, payload jsonb);
-- A table this migration created: nobody else has written to it.
DELETE FROM import_staging;
DELETE FROM sync_lookup WHERE record_type = 'link' AND NOT EXISTS (SELECT 1 FROM links WHERE links.id = sync_lookup.record_id);
DELETE FROM sessions USING users WHERE sessions.user_id = users.id AND users.deleted_at IS NOT NULL;
-- Function bodies run later, when called.
CREATE FUNCTION purge_sessions() RETURNS void LANGUAGE sql AS $$ DELETE FROM sessions $$;
