-- Schema-qualified and unqualified names; quoted names keep their case.
UPDATE account_audit SET actor = NULL;
UPDATE public.order_history SET total = 0;
DELETE FROM changelog;
DELETE FROM public.change_log;
DELETE FROM "AuditLogs" WHERE "userId" = 7;
DELETE FROM billing."ChangeLog";
UPDATE history.prices SET amount = 0;
DELETE FROM audit.logins;
