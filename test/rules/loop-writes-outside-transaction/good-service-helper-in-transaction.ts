// The recomputation runs in a helper method, called between the service's BEGIN and COMMIT on one client:
// every iteration is part of that one transaction.
import { Pool, PoolClient } from 'pg';

export class AccountRecompute {
  constructor(private readonly pool: Pool) {}

  async run(accountIds: number[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await this.recomputeBalances(client, accountIds);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  private async recomputeBalances(client: PoolClient, accountIds: number[]): Promise<void> {
    for (const id of accountIds) {
      await client.query('UPDATE accounts SET balance = (SELECT sum(amount) FROM ledger WHERE account_id = $1) WHERE id = $1', [id]);
    }
  }
}
