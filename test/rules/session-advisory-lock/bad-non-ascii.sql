-- Démo-Zurücksetzung 🚀: nur ein Lauf gleichzeitig.
SELECT 'überlappend 🚀' AS grund, pg_advisory_lock(hashtext('démo'));
