ALTER TYPE order_status ADD VALUE 'on_hold';
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'Refunded';
