-- Emptying a table the application writes to, on every database this runs on.
TRUNCATE sync_lookup;
TRUNCATE TABLE public.sessions, "RefreshTokens" RESTART IDENTITY;
