alter table public.orders add column placed_at timestamptz;
create index concurrently orders_status_idx on public.orders (status);
