TRUNCATE sessions, change_log;
TRUNCATE TABLE ONLY history.prices RESTART IDENTITY;

MERGE INTO logs.changes c
USING corrections x ON c.id = x.change_id
WHEN MATCHED THEN UPDATE SET note = x.note
WHEN NOT MATCHED THEN INSERT (id, note) VALUES (x.change_id, x.note);

INSERT INTO audit_log (id, action) VALUES (1, 'login')
ON CONFLICT (id) DO UPDATE SET action = excluded.action;
