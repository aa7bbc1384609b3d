-- record_events has no audit-like name, but the schema shows what it is: a trigger function only ever appends
-- to it. visit_counters is also written by a trigger function, which updates it: a working table, not a log.
CREATE TABLE visits (id bigint PRIMARY KEY, patient_id bigint NOT NULL);
CREATE TABLE record_events (id bigserial PRIMARY KEY, visit_id bigint NOT NULL, happened text NOT NULL);
CREATE TABLE visit_counters (patient_id bigint PRIMARY KEY, visits integer NOT NULL DEFAULT 0);

CREATE FUNCTION record_visit_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO record_events (visit_id, happened) VALUES (NEW.id, TG_OP);
  RETURN NULL;
END $$;

CREATE FUNCTION count_visit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO visit_counters (patient_id) VALUES (NEW.patient_id) ON CONFLICT (patient_id) DO UPDATE SET visits = visit_counters.visits + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER visits_events AFTER INSERT OR UPDATE ON visits FOR EACH ROW EXECUTE FUNCTION record_visit_event();
CREATE TRIGGER visits_count AFTER INSERT ON visits FOR EACH ROW EXECUTE FUNCTION count_visit();
