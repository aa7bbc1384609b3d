ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id) ON DELETE SET NULL;
