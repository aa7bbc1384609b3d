module example.com/orders

go 1.22

require github.com/rubenv/sql-migrate v1.7.0
