# Both overwrite an entry that already has the key.
INSERT INTO `audit_log` (`id`, `actor`) VALUES (1, 'system') ON DUPLICATE KEY UPDATE `actor` = VALUES(`actor`);
REPLACE INTO `audit_log` (`id`, `actor`) VALUES (2, 'system');
