-- A PostgreSQL migration: get_lock here is the project's own function, and this rule is MySQL's.
SELECT get_lock('demo_reset', 10);
