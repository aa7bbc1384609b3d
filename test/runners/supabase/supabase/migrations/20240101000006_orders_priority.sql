alter table public.orders add column priority integer;
update public.orders set priority = 0 where priority is null;
