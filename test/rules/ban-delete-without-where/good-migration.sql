-- In a migration, emptying a table is a decision written and reviewed as such (kratos: log everyone out).
DELETE FROM sessions;
