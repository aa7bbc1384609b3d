-- The ALTER TABLE runs before any trigger event is queued: this works, but holds the lock through the UPDATE.
ALTER TABLE sync_lookup ADD COLUMN note text;
UPDATE sync_lookup SET note = '';
