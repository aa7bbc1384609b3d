-- Incident 3: the forward sync emptied the tables mobile clients write to.
TRUNCATE TABLE accounts CASCADE;
