UPDATE `visits` SET `status` = 'over_limit' WHERE `status` <> 'over_limit' AND `visit_count` > `visit_cap`;
UPDATE accounts a JOIN plans p ON p.id = a.plan_id SET a.tier = p.tier;
ALTER TABLE `visits` ADD COLUMN `billed` TINYINT(1) NULL;
UPDATE `visits` SET `billed` = 0;
