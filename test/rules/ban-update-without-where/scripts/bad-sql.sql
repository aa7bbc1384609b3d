-- Incident 4's first draft: flips every visit, not only those over the cap.
UPDATE visits SET status = 'over_limit', flagged_at = now();
UPDATE public.accounts SET balance = balance - fee FROM fees WHERE true;
DO $$
BEGIN
  UPDATE "Users" SET "isAdmin" = false;
END $$;
