DROP TABLE IF EXISTS visit_notes, visit_note_revisions;
TRUNCATE sync_lookup;
