-- Windows line endings
DELETE FROM logs.changes
WHERE id = 1;

UPDATE
  audit.events SET x = 1;
