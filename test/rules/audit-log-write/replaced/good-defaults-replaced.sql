DELETE FROM logs.changes WHERE id = 1;
TRUNCATE audit.events, change_log;
UPDATE order_history SET total = 0;
DELETE FROM other.events;
