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
