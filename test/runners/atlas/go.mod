module example.com/orders

go 1.22

require ariga.io/atlas v0.28.1
