import { Client } from 'pg';

// A one-off remediation script that opens its own transaction.
async function main(): Promise<void> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query("UPDATE visits SET status = 'over_limit' WHERE count > 10");
    await client.query('ALTER TABLE visits ADD COLUMN flagged_at timestamptz');
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

void main();
