-- The UPDATE is part of the trigger's body: it runs later, when rows change, not in this migration.
DELIMITER $$
CREATE TRIGGER `orders_audit` AFTER UPDATE ON `orders` FOR EACH ROW
BEGIN
  UPDATE `order_stats` SET `changes` = `changes` + 1 WHERE `order_id` = NEW.`id`;
END$$
DELIMITER ;
