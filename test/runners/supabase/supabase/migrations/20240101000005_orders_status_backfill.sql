update public.orders set status = 'open' where status = 'new';
