DELETE FROM `sync_lookup` WHERE `record_type` = 'link' AND `record_id` IN (SELECT `id` FROM `duplicate_links`);
DELETE s FROM `sessions` s JOIN `users` u ON u.id = s.user_id WHERE u.deleted_at IS NOT NULL;
CREATE TABLE `staging` (`id` INT);
DELETE FROM `staging`;
