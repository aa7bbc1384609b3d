DROP TABLE IF EXISTS import_staging;
