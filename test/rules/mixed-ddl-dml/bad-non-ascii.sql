-- Überprüfung: Patientenakten zusammenführen — 患者記録の統合 🚑
ALTER TABLE "Pätienten" ADD COLUMN notiz text;
UPDATE "Pätienten" SET notiz = 'zusammengeführt' WHERE id IN (1, 2);
