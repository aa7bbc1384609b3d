UPDATE logs.changes SET note = 'before';

ALTER TABLE logs.changes ADD COLUMN;

DELETE FROM logs.changes WHERE id = 1;
