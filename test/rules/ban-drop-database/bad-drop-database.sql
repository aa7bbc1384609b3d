DROP DATABASE IF EXISTS analytics_staging;
