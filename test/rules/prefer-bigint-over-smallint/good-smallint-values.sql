CREATE TABLE plans (id bigint PRIMARY KEY, priority smallint, max_seats int2);
