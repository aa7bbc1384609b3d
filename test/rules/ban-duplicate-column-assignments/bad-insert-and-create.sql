INSERT INTO plans (id, name, id) VALUES (1, 'free', 2)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, name = 'x';
CREATE TABLE seats (id bigint, plan_id bigint, ID text);
