CREATE TABLE invoices (id bigint);
CREATE TABLE invoice_totals AS SELECT 1 AS total;
ALTER TABLE invoices ADD COLUMN total numeric;
DROP TABLE legacy_invoices, billing.old_invoices;
