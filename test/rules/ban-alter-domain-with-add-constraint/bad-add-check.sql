ALTER DOMAIN positive_amount ADD CONSTRAINT amount_positive CHECK (VALUE > 0);
ALTER DOMAIN email_address ADD CHECK (VALUE LIKE '%@%') NOT VALID;
