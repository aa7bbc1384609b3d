CREATE TABLE plans (id smallserial PRIMARY KEY, tier_id smallint, code int2, UNIQUE (code));
