import type { Client } from 'pg';
import type { ResolvedConfig } from '../resolved-config';

/** A schema source that cannot be used: a bad `--database-url`, an unreachable database. One line for the user. */
export class SchemaSourceError extends Error {}

/**
 * The database a `--database-url` value names: a `postgres://` URL; the name of a connection in config; or
 * `env`, meaning `DATABASE_URL`, else libpq's `PG*` variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE),
 * which the driver also uses to fill in whatever a URL leaves out, passwords included.
 */
export function resolveDatabaseUrl(
  given: string,
  config: ResolvedConfig,
  env: NodeJS.ProcessEnv = process.env,
): string {
  // An empty URL leaves every connection parameter to the PG* variables.
  if (given === 'env') return env.DATABASE_URL ?? '';
  const named = config.connections.find((connection) => connection.name === given);
  if (named) return named.url;
  if (/^postgres(ql)?:\/\//.test(given)) return given;
  const known = config.connections.map((connection) => connection.name);
  throw new SchemaSourceError(
    `--database-url: "${given}" is not a postgres:// URL, "env", or a connection named in config` +
      (known.length ? ` (known: ${known.join(', ')})` : ''),
  );
}

/** The URL without its password, for messages and reports. */
export function redactUrl(url: string): string {
  if (url === '') return 'the database of the PG* environment variables';
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}

/** A connected client, or a SchemaSourceError saying which database could not be reached and why. */
export async function connectDatabase(url: string): Promise<Client> {
  // The driver loads only when a database is asked for: a lint that replays migrations never needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client: PgClient } = require('pg') as typeof import('pg');
  let client: Client;
  try {
    client = new PgClient({
      connectionString: url || undefined,
      connectionTimeoutMillis: 10_000,
      statement_timeout: 30_000,
      application_name: 'preflight schema introspection',
    });
  } catch (error) {
    // The driver parses the URL (and reads an sslrootcert file) here: a port of 99999 is the user's to fix.
    throw new SchemaSourceError(`cannot use ${redactUrl(url)}: ${(error as Error).message}`);
  }
  // An idle client whose server goes away emits 'error'; without a listener that would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new SchemaSourceError(`cannot connect to ${redactUrl(url)}: ${(error as Error).message}`);
  }
  return client;
}
