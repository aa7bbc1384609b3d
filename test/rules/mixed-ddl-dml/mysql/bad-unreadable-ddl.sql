-- node-sql-parser cannot read ALTER COLUMN ... SET DEFAULT; its keywords still make it a schema change.
ALTER TABLE `orders` ALTER COLUMN `status` SET DEFAULT 'open';
UPDATE `orders` SET `status` = 'open' WHERE `status` IS NULL;
