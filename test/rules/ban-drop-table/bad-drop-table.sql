DROP TABLE invoices;
DROP TABLE IF EXISTS billing.invoice_lines, "LegacyInvoices" CASCADE;
