// The same pooled lock as in JS, with the pool in a TypeScript class field.
import pg from 'pg';

export class DemoReset {
  private readonly db: pg.Pool;

  constructor() {
    this.db = new pg.Pool({ connectionString: process.env.DATABASE_URL });
  }

  async run(): Promise<void> {
    await this.db.query('SELECT pg_advisory_lock(42)');
    try {
      await this.db.query('TRUNCATE encounters');
    } finally {
      await this.db.query('SELECT pg_advisory_unlock(42)');
    }
  }
}
