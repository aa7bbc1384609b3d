-- A migration that empties a table on purpose.
DELETE FROM `sync_lookup`;
