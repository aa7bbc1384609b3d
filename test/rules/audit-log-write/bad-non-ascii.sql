-- Überprüfung der Änderungen 🚀: Zeichen außerhalb von ASCII vor dem Befund.
WITH größe AS (SELECT '🚀 naïve' AS notiz)
DELETE FROM logs.changes c USING größe g WHERE c.note = g.notiz;
UPDATE "Prüfung_audit" SET ñ = '日本' WHERE ñ = 'ü';
