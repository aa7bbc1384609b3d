ALTER TABLE `plans` ADD COLUMN `tier` VARCHAR(20) NULL;
# preflight-ignore mixed-ddl-dml: plans has 40 rows; re-running after a failure is fine
UPDATE `plans` SET `tier` = 'pro' WHERE `price` > 100;
