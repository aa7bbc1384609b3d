SELECT pg_advisory_lock(1);

SELEC pg_advisory_lock(2);

SELECT pg_advisory_lock(3);
SELECT pg_advisory_unlock(1);
