// `query` on objects that are not databases: a URL's search parameters, a GraphQL client.
import { Pool } from 'pg';
import { GraphQLClient } from './graphql';

export async function sync(pool: Pool, api: GraphQLClient, request: { query(name: string): string }): Promise<void> {
  const since = request.query('since');
  const changes = await api.query(buildChangesQuery(since));
  await pool.query('INSERT INTO sync_runs (since, changes) VALUES ($1, $2)', [since, changes.length]);
}

function buildChangesQuery(since: string): string {
  return `{ changes(since: "${since}") { id } }`;
}
