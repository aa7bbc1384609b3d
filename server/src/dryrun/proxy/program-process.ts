import { spawn } from 'child_process';
import * as path from 'path';
import { DATABASE_REDIRECT_VARIABLE, type DatabaseRedirect, POSTGRES_DEFAULT_PORT } from './database-redirect';
import type { ProxyEndpoint } from './proxy-server';

/** What the program printed, how it ended. */
export interface ProgramExit {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/** The preload that lets node run TypeScript: beside this module, compiled or bundled (scripts/bundle.js). */
export function typescriptHook(): string {
  return path.join(__dirname, 'typescript-register.js');
}

/** Output kept per stream; the rest is cut with a marker. */
const OUTPUT_LIMIT = 256 * 1024;

/**
 * The program's environment: the caller's, with every libpq variable (`PG*`) and `DATABASE_URL` replaced by the
 * proxy's, and without any variable whose value holds a password of the real database, so that the program
 * can reach no database but the proxy and never sees the real credentials. Other variables stay (the program may
 * need its own API keys); its output is scrubbed of secret-looking values like every report. A Node program's
 * preload also reads the endpoint (connection-redirect.ts), so that a connection its own config names goes there
 * too, and a raw connection to 5432 or to `guard.serverPort` on another host is refused (and noted in
 * `guard.refusalsFile`).
 */
export function programEnvironment(
  env: NodeJS.ProcessEnv,
  endpoint: ProxyEndpoint,
  databaseSecrets: readonly string[],
  guard: { serverPort?: number; refusalsFile?: string } = {},
): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(
    Object.entries(env).filter(
      ([name, value]) =>
        !/^PG/.test(name) &&
        name !== 'DATABASE_URL' &&
        !databaseSecrets.some((secret) => secret.length > 0 && value?.includes(secret)),
    ),
  );
  const { host, port, user, password, database } = endpoint;
  const redirect: DatabaseRedirect = {
    endpoint,
    guardedPorts: [...new Set([POSTGRES_DEFAULT_PORT, guard.serverPort ?? POSTGRES_DEFAULT_PORT])],
    refusalsFile: guard.refusalsFile,
  };
  return {
    ...kept,
    [DATABASE_REDIRECT_VARIABLE]: JSON.stringify(redirect),
    DATABASE_URL: `postgres://${user}:${encodeURIComponent(password)}@${host}:${port}/${database}?sslmode=disable`,
    PGHOST: host,
    PGPORT: String(port),
    PGUSER: user,
    PGPASSWORD: password,
    PGDATABASE: database,
    // The proxy speaks neither TLS nor GSSAPI encryption: say so up front instead of letting libpq ask.
    PGSSLMODE: 'disable',
    PGGSSENCMODE: 'disable',
  };
}

/**
 * Runs the program in a process group of its own, so that the group — the program and whatever it started — is
 * killed when the time limit passes, when the dry-run is cancelled, and in any case once the program has exited.
 */
export function runProgram(options: {
  command: string;
  args?: string[];
  /** Run `command` through the shell (`--exec`). */
  shell: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeLimitMs: number;
  signal?: AbortSignal;
}): Promise<ProgramExit> {
  return new Promise((resolve) => {
    const child = spawn(options.command, options.args ?? [], {
      shell: options.shell,
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout = new OutputBuffer();
    const stderr = new OutputBuffer();
    child.stdout.on('data', (chunk: Buffer) => stdout.add(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.add(chunk));
    let timedOut = false;
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    const timer =
      options.timeLimitMs > 0
        ? setTimeout(() => {
            timedOut = true;
            killGroup();
          }, options.timeLimitMs)
        : undefined;
    const onAbort = () => killGroup();
    options.signal?.addEventListener('abort', onAbort);
    const finish = (exitCode: number | null, signal: string | null) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      // Children the program left behind (a server it started, a worker) go with it.
      killGroup();
      resolve({ exitCode, signal, timedOut, stdout: stdout.text(), stderr: stderr.text() });
    };
    child.on('error', (error) => {
      stderr.add(Buffer.from(`preflight: could not start the program: ${error.message}\n`));
      finish(null, null);
    });
    child.on('close', (code, signal) => finish(code, signal));
  });
}

class OutputBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private cut = false;

  add(chunk: Buffer): void {
    const room = OUTPUT_LIMIT - this.size;
    if (chunk.length > room) this.cut = true;
    if (room <= 0) return;
    this.chunks.push(chunk.subarray(0, room));
    this.size += Math.min(chunk.length, room);
  }

  text(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    return this.cut ? `${text}\n[output cut at ${OUTPUT_LIMIT / 1024} kB]\n` : text;
  }
}
