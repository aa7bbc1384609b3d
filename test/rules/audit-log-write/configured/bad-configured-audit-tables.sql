-- auditTables extends the defaults: app.events and billing's ledgers are audit logs here.
DELETE FROM app.events WHERE kind = 'test';
UPDATE billing.payment_ledger SET amount = 0;
-- The defaults still apply to tables no pattern excludes.
DELETE FROM logs.changes WHERE id = 1;
