create index idx_visits_status on visits (status);
with moved as (
  delete from visits where status = 'void' returning *
)
insert into visits_archive select * from moved;
