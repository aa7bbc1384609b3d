UPDATE visits SET billing_status = 'unbilled'
 WHERE id IN (SELECT id FROM visits WHERE billing_status IS NULL ORDER BY id LIMIT 5000);
UPDATE visits SET billing_status = 'void' WHERE id = 42;
UPDATE visits SET billing_status = 'void' WHERE facility_id = 7 AND started_at < '2020-01-01';
CREATE TABLE visit_totals AS SELECT visit_id, 0 AS total FROM visits;
UPDATE visit_totals SET total = 1;
