-- A script for the mysql client: DELIMITER lines, backtick names, # comments and \' escapes.
DELIMITER //
CREATE TRIGGER `orders_touch` BEFORE UPDATE ON `orders` FOR EACH ROW SET NEW.`updated_at` = NOW()//
DELIMITER ;
# Backfill the note, escaping the quote the MySQL way.
UPDATE `orders` SET `note` = 'it\'s late' WHERE `status` = 'late';
SELECT `id`, `note` FROM `orders` WHERE `note` LIKE '%\_%';
