ALTER TABLE plans ADD COLUMN tier text;
WITH counts AS (SELECT plan_id, count(*) AS n FROM visits GROUP BY plan_id)
SELECT * FROM counts WHERE n > 10;
