import { sql } from 'slonik';
import { Client } from 'pg';

// postgres://user:password@localhost:5432/app is the format; the real URL comes from the environment.
export const client = new Client(process.env.DATABASE_URL ?? `postgres://${process.env.PGUSER}:${process.env.PGPASSWORD}@localhost/app`);
export const options = { host: process.env.PGHOST, user: 'app', password: process.env.PGPASSWORD };
export const signIn = { password: true, username: false };
export const docs = 'connect with postgres://app:<password>@db.internal/app or PGPASSWORD=$SECRET psql';

export async function createTenantRole(pool, role: string, password: string) {
  await pool.query(sql`create role ${sql.identifier([role])} with inherit login password '${sql.raw(password)}'`);
}
