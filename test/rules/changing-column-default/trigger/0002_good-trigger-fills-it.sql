CREATE FUNCTION comment_set_ap_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.ap_id := 'https://example.org/comment/' || NEW.id;
  RETURN NEW;
END $$;
CREATE TRIGGER comment_set_ap_id BEFORE INSERT ON comment FOR EACH ROW EXECUTE FUNCTION comment_set_ap_id();
ALTER TABLE comment ALTER COLUMN ap_id DROP DEFAULT;
