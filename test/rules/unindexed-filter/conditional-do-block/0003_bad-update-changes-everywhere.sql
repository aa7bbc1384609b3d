UPDATE logs.changes SET record_id = lower(record_id) WHERE table_name = 'patients';
