-- Appending a compensating entry is how an audit log records a correction (incident 1(b)).
INSERT INTO logs.changes (record_id, record_deleted_at, reason)
SELECT duplicate_id, now(), 'duplicate link removed by dedupe migration' FROM duplicate_links;
INSERT INTO audit_log (id, action) VALUES (1, 'login') ON CONFLICT (id) DO NOTHING;
MERGE INTO logs.changes c USING corrections x ON c.id = x.change_id
WHEN NOT MATCHED THEN INSERT (id, note) VALUES (x.change_id, x.note)
WHEN MATCHED THEN DO NOTHING;
COPY logs.changes (id, note) FROM stdin;
1	imported
\.

-- Reading the audit log to change other tables is fine.
UPDATE users u SET last_seen = c.changed_at FROM logs.changes c WHERE c.record_id = u.id;
DELETE FROM sessions WHERE user_id IN (SELECT record_id FROM audit.events);
WITH recent AS (SELECT * FROM logs.changes) SELECT count(*) FROM recent;

-- Schema changes that keep every recorded value.
ALTER TABLE logs.changes ADD COLUMN reason text;
ALTER TABLE logs.changes ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE logs.changes ADD COLUMN source text DEFAULT 'server';
ALTER TABLE logs.changes ALTER COLUMN reason SET NOT NULL;
ALTER TABLE logs.changes RENAME COLUMN note TO comment;
CREATE INDEX CONCURRENTLY changes_record_idx ON logs.changes (record_id);
DROP INDEX logs.changes_old_idx;
DROP VIEW audit_summary;

-- Tables that only look similar.
UPDATE price_histories SET amount = 0;
DELETE FROM history_entries_view_source;
TRUNCATE logs_archive_import;
