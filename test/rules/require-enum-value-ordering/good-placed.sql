ALTER TYPE order_status ADD VALUE 'on_hold' BEFORE 'shipped';
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'delivered';
ALTER TYPE order_status RENAME VALUE 'cancelled' TO 'canceled';
