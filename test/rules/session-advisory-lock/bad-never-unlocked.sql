SELECT pg_advisory_lock(1);
SELECT pg_try_advisory_lock(2);
-- A shared lock is not released by pg_advisory_unlock, only by pg_advisory_unlock_shared.
SELECT pg_advisory_lock_shared(3);
SELECT pg_advisory_unlock(3);
-- Locks stack: taken twice, released once, it is still held.
SELECT pg_advisory_lock(4);
SELECT pg_advisory_lock(4);
SELECT pg_advisory_unlock(4);
-- An unlock before the lock releases nothing.
SELECT pg_advisory_unlock(5);
SELECT pg_advisory_lock(5);
