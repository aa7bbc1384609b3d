-- The dedupe migration of incident 1: duplicate link rows are removed, and so are their audit entries.
DELETE FROM sync_lookup s
 USING duplicate_links d
 WHERE s.record_id = d.duplicate_id;

DELETE FROM logs.changes
 WHERE record_id IN (SELECT duplicate_id FROM duplicate_links);

UPDATE logs.changes c
   SET record_id = d.kept_id
  FROM duplicate_links d
 WHERE c.record_id = d.duplicate_id;
