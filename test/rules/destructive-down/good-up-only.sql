-- An up migration: dropping here is ban-drop-table's and ban-drop-column's business, not this rule's.
DROP TABLE legacy_visits;
ALTER TABLE visits DROP COLUMN legacy_code;
