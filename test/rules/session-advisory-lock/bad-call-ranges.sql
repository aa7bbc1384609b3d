SELECT pg_catalog.pg_advisory_lock(1);
SELECT id
  FROM jobs
 WHERE pg_try_advisory_lock(
         hashtext('job:' || id || ')')
       )
 LIMIT 1;
select PG_ADVISORY_LOCK(3), pg_advisory_unlock_all();
