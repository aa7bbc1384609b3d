// The project's database module, imported by the services next to it: what its exports are, only their types
// (from @types/pg and knex's own declarations) say.
import { Knex, knex } from 'knex';
import { Pool, PoolClient } from 'pg';

export const db = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

export const reporting = knex({ client: 'pg', connection: process.env.DATABASE_URL });

/** Services receive the pool under the project's own name. */
export type Database = Pool;

/** A client checked out of the pool: one connection. */
export type Connection = PoolClient;

export type ReportingTransaction = Knex.Transaction;

export function createPool(connectionString: string): Database {
  return new Pool({ connectionString });
}
