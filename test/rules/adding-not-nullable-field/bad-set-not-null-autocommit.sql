-- preflight-transaction: none
-- Each statement commits on its own, so the quick fix can split the scan out of the lock.
SET lock_timeout = '5s';
ALTER TABLE recipes ALTER COLUMN view_count SET NOT NULL;
