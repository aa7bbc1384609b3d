// Incident 4's follow-up: the flip ran in a transaction, the per-account recomputation after it did not.
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

async function recomputeBalances(accountIds) {
  for (const accountId of accountIds) {
    await pool.query(
      "UPDATE accounts SET balance_due = (SELECT coalesce(sum(fee), 0) FROM visits WHERE account_id = $1 AND status = 'over_limit') WHERE id = $1",
      [accountId],
    );
  }
}

module.exports = { recomputeBalances };
