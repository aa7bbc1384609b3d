-- The dedupe hotfix from incident 1, on MySQL: the ALTER TABLE commits implicitly, so if the UPDATE fails the
-- column stays added and the migration cannot simply be run again.
ALTER TABLE `sync_lookup` ADD COLUMN `record_key` VARCHAR(255) NULL;

UPDATE `sync_lookup`
   SET `record_key` = CONCAT(`record_type`, ':', `record_id`)
 WHERE `record_key` IS NULL;
