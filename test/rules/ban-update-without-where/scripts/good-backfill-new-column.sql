-- Filling a column added just above: there is nothing in it yet to overwrite.
ALTER TABLE visits ADD COLUMN billing_status text;
UPDATE visits SET billing_status = 'unbilled';
UPDATE visits SET status = 'over_limit' WHERE visit_count > visit_cap AND status <> 'over_limit';
CREATE TABLE visit_totals (visit_id bigint, total numeric);
UPDATE visit_totals SET total = 0;
CREATE FUNCTION reset_totals() RETURNS void LANGUAGE plpgsql AS $$ BEGIN UPDATE visit_totals SET total = 0; END $$;
