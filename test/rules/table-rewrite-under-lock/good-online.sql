REFRESH MATERIALIZED VIEW CONCURRENTLY reporting.visit_totals;
CREATE MATERIALIZED VIEW reporting.daily_visits AS SELECT date_trunc('day', started_at) AS day, count(*) FROM visits GROUP BY 1;
-- Created above: nothing reads it yet.
REFRESH MATERIALIZED VIEW reporting.daily_visits;
CREATE TABLE staging (id bigint);
ALTER TABLE staging SET UNLOGGED;
ALTER TABLE visits SET (fillfactor = 90);
