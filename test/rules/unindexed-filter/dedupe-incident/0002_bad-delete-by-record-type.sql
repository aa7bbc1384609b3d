-- Incident 1(c): the filter's only indexable condition is on record_type, the unique index's second column.
DELETE FROM sync_lookup
WHERE record_type = 'patient'
  AND record_id NOT IN (SELECT id FROM patients);
