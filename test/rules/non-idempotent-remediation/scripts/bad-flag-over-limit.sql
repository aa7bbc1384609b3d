-- Incident 4's first draft: re-running it charges the over-limit fee again and logs the visits twice.
BEGIN;
UPDATE accounts SET balance = balance - 25
 WHERE id IN (SELECT account_id FROM visits WHERE visit_count > visit_cap);
INSERT INTO account_events (account_id, kind, amount)
SELECT account_id, 'over_limit_fee', 25 FROM visits WHERE visit_count > visit_cap;
UPDATE visits SET status = 'over_limit' WHERE visit_count > visit_cap;
COMMIT;
