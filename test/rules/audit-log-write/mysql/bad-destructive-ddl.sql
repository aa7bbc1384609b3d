ALTER TABLE `audit_log` DROP COLUMN `ip_address`, MODIFY COLUMN `actor` VARCHAR(20) NOT NULL;
TRUNCATE TABLE `history`.`prices`;
DROP TABLE IF EXISTS `change_log`;
DELETE l, c FROM `login_audit` l JOIN `change_log` c ON c.login_id = l.id WHERE l.created_at < '2020-01-01';
