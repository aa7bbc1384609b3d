ALTER TABLE `sync_lookup` ADD INDEX `sync_lookup_record_type_index` (`record_type`), ALGORITHM=INPLACE, LOCK=NONE;
