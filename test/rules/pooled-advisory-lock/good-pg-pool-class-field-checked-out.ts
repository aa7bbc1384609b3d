// The fix: check out one client from the class's pool and keep the lock on it.
import pg from 'pg';

export class DemoReset {
  private readonly db: pg.Pool;

  constructor() {
    this.db = new pg.Pool({ connectionString: process.env.DATABASE_URL });
  }

  async run(): Promise<void> {
    const client = await this.db.connect();
    try {
      await client.query('SELECT pg_advisory_lock(42)');
      await client.query('TRUNCATE encounters');
    } finally {
      await client.query('SELECT pg_advisory_unlock(42)');
      client.release();
    }
  }
}
