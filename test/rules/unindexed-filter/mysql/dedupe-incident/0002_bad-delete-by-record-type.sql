-- record_type is the unique index's second column: InnoDB scans, and locks, every row of sync_lookup.
DELETE FROM `sync_lookup`
WHERE `record_type` = 'patient'
  AND `record_id` NOT IN (SELECT `id` FROM `patients`);
