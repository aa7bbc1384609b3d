-- DESTRUCTIVE: drops billing_codes (codes entered since the up ran) and visits.billing_code.
DROP TABLE billing_codes;
ALTER TABLE visits DROP COLUMN billing_code;
