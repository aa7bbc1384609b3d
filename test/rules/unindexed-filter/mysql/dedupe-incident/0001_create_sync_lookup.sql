-- Incident 1(c) on MySQL: a link table with one unique index, on (record_id, record_type).
CREATE TABLE `sync_lookup` (
  `id` CHAR(36) NOT NULL,
  `record_id` CHAR(36) NOT NULL,
  `record_type` VARCHAR(32) NOT NULL,
  `updated_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY `sync_lookup_record_id_record_type_unique` (`record_id`, `record_type`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
