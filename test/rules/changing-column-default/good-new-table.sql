CREATE TABLE invoices (id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'draft');
ALTER TABLE invoices ALTER COLUMN status DROP DEFAULT;
-- Unknown nullability (no schema source for visits): nothing to say.
ALTER TABLE visits ALTER COLUMN status DROP DEFAULT;
