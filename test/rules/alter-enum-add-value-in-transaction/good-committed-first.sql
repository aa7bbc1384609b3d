BEGIN;
ALTER TYPE visit_status ADD VALUE 'over_limit';
COMMIT;
UPDATE visits SET status = 'over_limit' WHERE visit_count > visit_cap AND status <> 'over_limit';
