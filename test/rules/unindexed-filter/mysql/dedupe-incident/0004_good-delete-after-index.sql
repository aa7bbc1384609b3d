-- The same statement as 0002: the index added by 0003 serves record_type = 'patient'.
DELETE FROM `sync_lookup`
WHERE `record_type` = 'patient'
  AND `record_id` NOT IN (SELECT `id` FROM `patients`);
