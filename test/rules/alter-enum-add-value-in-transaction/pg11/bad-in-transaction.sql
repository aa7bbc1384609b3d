BEGIN;
ALTER TYPE visit_status ADD VALUE 'over_limit';
COMMIT;
