alter table public.orders alter column status set default 'open';
