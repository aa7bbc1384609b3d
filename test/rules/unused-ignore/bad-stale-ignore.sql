-- preflight-ignore mixed-ddl-dml: the backfill is tiny
CREATE TABLE plan_tiers (id bigint PRIMARY KEY);

-- preflight-ignore parse-error, mixed-ddl-dml
SELEC 1;
