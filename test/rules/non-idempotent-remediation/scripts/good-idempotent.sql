-- The fixed script: a re-run finds nothing to do.
BEGIN;
UPDATE accounts SET balance = balance - 25, over_limit_fee_charged = true
 WHERE id IN (SELECT account_id FROM visits WHERE visit_count > visit_cap) AND NOT over_limit_fee_charged;
INSERT INTO account_events (account_id, kind, amount)
SELECT v.account_id, 'over_limit_fee', 25 FROM visits v
 WHERE v.visit_count > v.visit_cap
   AND NOT EXISTS (SELECT 1 FROM account_events e WHERE e.account_id = v.account_id AND e.kind = 'over_limit_fee');
INSERT INTO fee_types (code) VALUES ('over_limit') ON CONFLICT DO NOTHING;
UPDATE visits SET status = 'over_limit' WHERE visit_count > visit_cap AND status <> 'over_limit';
TRUNCATE demo_bookings;
INSERT INTO demo_bookings SELECT * FROM demo_booking_templates;
COMMIT;
