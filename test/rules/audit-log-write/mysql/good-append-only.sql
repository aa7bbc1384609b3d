-- Compensating entries, as incident 1(b) asks: history is appended to, never rewritten.
INSERT INTO `logs`.`changes` (`record_id`, `record_deleted_at`, `reason`)
SELECT `id`, NOW(), 'duplicate link removed by dedupe migration' FROM `duplicate_links`;
ALTER TABLE `audit_log` ADD COLUMN `reason` VARCHAR(255) NULL;
SELECT COUNT(*) FROM `audit_log` WHERE `actor` = 'UPDATE audit_log SET x = 1';
