import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client, ClientConfig } from 'pg';
import { ClusterConnection, EmbeddedCluster } from '../../server/src/dryrun/embedded-cluster';

/**
 * One real PostgreSQL server for the whole test run, started on first use and stopped when mocha exits.
 * Tests create their own databases on it (`freshDatabase`) so they never see each other's tables.
 */
let started: Promise<EmbeddedCluster> | undefined;

export function testCluster(): Promise<EmbeddedCluster> {
  started ??= EmbeddedCluster.start({
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-test-pg-')),
    password: crypto.randomBytes(12).toString('hex'),
    persistent: false,
  });
  return started;
}

/** A new, empty database on the test cluster. */
export async function freshDatabase(prefix = 'test'): Promise<ClusterConnection> {
  const cluster = await testCluster();
  const name = `${prefix}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = await connect(cluster.connection());
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return cluster.connection(name);
}

/** A connected client; errors after a server-side disconnect are swallowed instead of crashing mocha. */
export async function connect(connection: ClusterConnection | ClientConfig): Promise<Client> {
  const client = new Client(connection as ClientConfig);
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export function connectionUrl(connection: ClusterConnection): string {
  return `postgres://${connection.user}:${encodeURIComponent(connection.password)}@${connection.host}:${connection.port}/${connection.database}`;
}

after(async () => {
  if (started) await (await started).stop();
});

/** What the editor sends for a connection: the URL without the password, which comes apart, from secret storage. */
export interface EditorConnection {
  name: string;
  url: string;
  password: string;
}

/** A new database with `plans` (25 rows), and the connection an editor would send for it. */
export async function plansDatabase(
  prefix: string,
): Promise<{ database: ClusterConnection; connection: EditorConnection }> {
  const database = await freshDatabase(prefix);
  const admin = await connect(database);
  try {
    await admin.query('CREATE TABLE plans (id bigint PRIMARY KEY, name text NOT NULL)');
    await admin.query("INSERT INTO plans SELECT g, 'plan ' || g FROM generate_series(1, 25) g");
  } finally {
    await admin.end();
  }
  const connection = {
    name: 'test',
    url: `postgres://${database.user}@${database.host}:${database.port}/${database.database}`,
    password: String(database.password),
  };
  return { database, connection };
}
