// A pool injected through a constructor parameter property.
import { Pool } from 'pg';

export class NightlyResync {
  constructor(private readonly pool: Pool) {}

  async run(): Promise<void> {
    await this.pool.query('SELECT pg_advisory_lock(7)');
    await this.pool.query('SELECT pg_advisory_unlock(7)');
  }
}
