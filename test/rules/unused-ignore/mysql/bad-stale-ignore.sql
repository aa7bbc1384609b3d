# preflight-ignore ban-update-without-where: the statement below used to update every row
UPDATE `plans` SET `tier` = 'pro' WHERE `id` = 42;
