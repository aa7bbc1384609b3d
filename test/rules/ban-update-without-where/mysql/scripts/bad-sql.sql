-- Incident 4's remediation without its filter: every visit becomes over_limit.
UPDATE `visits` SET `status` = 'over_limit';
UPDATE `app`.`plans` SET `tier` = 'pro' WHERE 1;
UPDATE accounts a JOIN plans p ON TRUE SET a.tier = p.tier;
UPDATE `visits` SET `status` = 'open' ORDER BY `id` LIMIT 500;
