// A service class handed the postgres-js instance: `Sql` is the pool, under any name.
import type { Sql } from 'postgres';

export class DemoDataService {
  constructor(private readonly db: Sql) {}

  async reset(): Promise<void> {
    await this.db`SELECT pg_advisory_lock(42)`;
    await this.db`TRUNCATE demo_bookings`;
    await this.db`SELECT pg_advisory_unlock(42)`;
  }
}

export async function resetWith(sql: Sql): Promise<void> {
  await sql.unsafe('SELECT pg_advisory_lock(43)');
  await sql.unsafe('SELECT pg_advisory_unlock(43)');
}
