// The node-postgres idiom: BEGIN and COMMIT on one checked-out client, ROLLBACK in catch. One transaction.
import { Pool } from 'pg';

export class VisitRemediation {
  constructor(private readonly pool: Pool) {}

  async flagOverLimit(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("UPDATE visits SET status = 'over_limit' WHERE count > 10");
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK');
      throw e;
    } finally {
      client.release();
    }
  }
}
