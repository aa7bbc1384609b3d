ALTER DOMAIN positive_amount DROP CONSTRAINT amount_positive;
ALTER DOMAIN positive_amount RENAME CONSTRAINT a TO b;
ALTER DOMAIN positive_amount SET DEFAULT 0;
