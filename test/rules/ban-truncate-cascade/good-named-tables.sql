TRUNCATE account_members, accounts RESTART IDENTITY;
