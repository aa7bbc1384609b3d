create index concurrently orders_customer_idx on public.orders (customer_id);
