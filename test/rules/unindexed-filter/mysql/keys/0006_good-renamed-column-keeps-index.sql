-- CHANGE COLUMN renamed customer_id; the foreign key's index followed it.
DELETE FROM orders WHERE buyer_id = 9;
