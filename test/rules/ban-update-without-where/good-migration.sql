-- In a migration, converting every row is the point of the change (unbatched-backfill judges its size).
UPDATE location_groups SET is_bookable = CASE WHEN is_bookable = 'true' THEN 'all' ELSE 'no' END;
