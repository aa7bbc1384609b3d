-- preflight-transaction: none
CREATE INDEX CONCURRENTLY sync_lookup_record_type_idx ON sync_lookup (record_type);
