-- Replaces the customers table with the rows staged from the desktop export.
BEGIN;
TRUNCATE customers CASCADE;
INSERT INTO customers (id, name, source)
SELECT id, name, 'desktop' FROM desktop_customers_import;
COMMIT;
