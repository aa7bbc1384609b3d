# A typo MySQL rejects: the migration stops at the second statement.
ALTER TABLE `users` ADD COLUMN `nickname` VARCHAR(50) NULL;
UPDTE `users` SET `nickname` = `name` WHERE `nickname` IS NULL;
