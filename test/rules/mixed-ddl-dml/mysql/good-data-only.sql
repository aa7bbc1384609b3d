START TRANSACTION;
UPDATE `orders` SET `status` = 'open' WHERE `status` IS NULL;
INSERT INTO `order_events` (`order_id`, `event`) SELECT `id`, 'reopened' FROM `orders` WHERE `status` = 'open';
COMMIT;
