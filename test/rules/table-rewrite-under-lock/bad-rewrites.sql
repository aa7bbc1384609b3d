SET lock_timeout = '2s';
ALTER TABLE visits SET TABLESPACE fast_ssd;
ALTER TABLE audit_events SET LOGGED, ALTER COLUMN note SET STATISTICS 100;
ALTER TABLE import_batches SET UNLOGGED;
ALTER INDEX visits_patient_id_idx SET TABLESPACE fast_ssd;
ALTER TABLE measurements SET ACCESS METHOD heap;
REFRESH MATERIALIZED VIEW reporting.visit_totals;
