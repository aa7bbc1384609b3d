DELETE FROM `sync_lookup`;
DELETE FROM `sessions` WHERE 1 LIMIT 1000;
DELETE s FROM `sessions` s JOIN `users` u ON TRUE;
