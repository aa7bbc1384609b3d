-- A migration runs once per database (its runner records it): re-runs are not this rule's concern.
UPDATE accounts SET balance = balance - 25 WHERE id = 7;
INSERT INTO fee_types (code) VALUES ('over_limit');
