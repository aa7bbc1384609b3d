-- Incident 1(b) on MySQL: the dedupe deleted the duplicates' entries from the audit log too.
DELETE FROM `sync_lookup` WHERE `record_id` IN (SELECT `id` FROM `duplicate_links`);
DELETE FROM `logs`.`changes` WHERE `record_id` IN (SELECT `id` FROM `duplicate_links`);
UPDATE logs.changes c JOIN duplicate_links d ON d.id = c.record_id SET c.record_id = d.kept_id;
