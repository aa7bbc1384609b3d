UPDATE matrix SET cells[1] = 0, cells[2] = 1, label = 'x' WHERE id = 1;
UPDATE users SET (plan, seats) = ('pro', 5) WHERE id = 1;
