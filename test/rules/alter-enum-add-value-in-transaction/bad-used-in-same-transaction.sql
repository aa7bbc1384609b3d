-- Incident 4's remediation as a migration: the new status is used before the ADD VALUE commits.
ALTER TYPE visit_status ADD VALUE IF NOT EXISTS 'over_limit' AFTER 'billed';
UPDATE visits SET status = 'over_limit' WHERE visit_count > visit_cap AND status <> 'over_limit';
