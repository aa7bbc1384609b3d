module example.com/orders

go 1.22

require github.com/pressly/goose/v3 v3.22.1
