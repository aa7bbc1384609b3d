CREATE TABLE invoices (id bigint PRIMARY KEY);
ALTER TABLE invoices ADD COLUMN reference uuid DEFAULT gen_random_uuid();
