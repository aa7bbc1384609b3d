create table public.orders (
  id bigint generated always as identity primary key,
  customer_id bigint not null,
  status text not null default 'new'
);
