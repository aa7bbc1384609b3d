ALTER TABLE visits ADD COLUMN billing_status text;
-- One statement over the whole table, in the migration's transaction.
UPDATE visits SET billing_status = 'unbilled';
UPDATE encounters SET reviewed = false WHERE reviewed IS NULL;
UPDATE sync_lookup AS l SET record_key = r.key FROM records r WHERE r.id = l.record_id;
