# START TRANSACTION does not make DDL transactional in MySQL: the CREATE INDEX commits the DELETE before it.
START TRANSACTION;
DELETE FROM `sync_lookup` WHERE `record_type` = 'link' AND `record_id` IN (SELECT `id` FROM `duplicate_links`);
CREATE INDEX `sync_lookup_record_type` ON `sync_lookup` (`record_type`);
COMMIT;
