-- A migration that converts every row on purpose.
UPDATE `visits` SET `status` = 'over_limit' WHERE 1 = 1;
