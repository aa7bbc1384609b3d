CREATE TABLE countries (
  code text PRIMARY KEY,
  name varchar(100),
  kind "char"
);
