// The same helper is called from two places, one of them after COMMIT: which transaction its loop runs in
// cannot be told from one call site, so it is judged where it is written, outside any transaction.
import { Client } from 'pg';

async function recomputeBalances(client: Client, accountIds: number[]): Promise<void> {
  for (const id of accountIds) {
    await client.query('UPDATE accounts SET balance = (SELECT sum(amount) FROM ledger WHERE account_id = $1) WHERE id = $1', [id]);
  }
}

export async function remediate(client: Client, accountIds: number[]): Promise<void> {
  await client.query('BEGIN');
  await recomputeBalances(client, accountIds);
  await client.query('COMMIT');
  await recomputeBalances(client, accountIds);
}
