CREATE TABLE billing.invoices (id bigint);
ALTER TABLE public.invoices ADD COLUMN total numeric;
DROP TABLE billing.old_invoices;
CREATE TEMP TABLE scratch (id bigint);
