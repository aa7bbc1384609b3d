-- "!*_history" and "!logs.debug_*" exclude tables the defaults would match.
UPDATE order_history SET total = 0;
DELETE FROM public.price_history;
TRUNCATE logs.debug_requests;
-- Patterns are globs over `schema.table`: `*` does not cross the dot, names are case-sensitive.
DELETE FROM app.events_archive;
DELETE FROM app."Events";
UPDATE billing.payment_ledger_view SET amount = 0;
