// The fix: the whole loop in one transaction on one client, rolled back as a whole on failure.
import { Pool } from 'pg';

export class BalanceRecompute {
  constructor(private readonly pool: Pool) {}

  async run(accountIds: string[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const accountId of accountIds) {
        await client.query('UPDATE accounts SET balance_due = 0 WHERE id = $1', [accountId]);
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK');
      throw e;
    } finally {
      client.release();
    }
  }
}
