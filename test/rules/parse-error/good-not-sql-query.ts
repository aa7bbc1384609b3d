// `query` is also a request's, a router's, a search client's method: text that begins like no SQL statement,
// on an object that is not a database, is not sent to PostgreSQL and is not parsed as SQL.
import { Pool } from 'pg';

interface IncomingRequest {
  query(name: string): string | undefined;
}

export async function recordSync(pool: Pool, request: IncomingRequest): Promise<void> {
  const since = request.query('since') ?? '1970-01-01';
  await pool.query('UPDATE sync_state SET last_since = $1 WHERE id = 1', [since]);
}
