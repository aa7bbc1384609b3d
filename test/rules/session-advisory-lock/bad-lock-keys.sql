-- Keys match by value: 42, '42' and 42::bigint are one lock; (1, 2) is another key space than (1).
SELECT pg_advisory_lock(42::bigint);
SELECT pg_advisory_unlock('42');
SELECT pg_advisory_lock(1, 2);
SELECT pg_advisory_unlock(1, 2);
SELECT pg_advisory_lock(hashtext('demo-reset'));
SELECT pg_advisory_unlock(hashtext('demo-reset'));
\set reset_lock 99
SELECT pg_advisory_lock(:reset_lock);
SELECT pg_advisory_unlock(:reset_lock);
SELECT pg_advisory_lock(7);
SELECT pg_advisory_unlock(8);
SELECT pg_advisory_lock(9);
SELECT pg_advisory_lock(1, 9);
SELECT pg_advisory_unlock(9);
