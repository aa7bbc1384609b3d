UPDATE users SET plan = 'free', seats = 1, plan = 'pro' WHERE id = 1;
