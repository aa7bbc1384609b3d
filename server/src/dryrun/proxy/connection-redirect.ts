/**
 * Part of the preload of a Node program the dry-run runs (typescript-register.ts): the program reaches no database
 * but the one the dry-run chose, even where its own config names another. The environment already points
 * DATABASE_URL and PG* at the transaction proxy, but a script that builds `new Pool({ host: 'db.internal', ... })`
 * or reads a connection string from a config file would otherwise connect there for real, outside the dry-run's
 * transaction: a dry-run that commits to production.
 *
 * Two layers. `pg` (hence knex, Sequelize, TypeORM, slonik, MikroORM and Kysely on pg) is redirected where its
 * options become a connection: every Client reads host, port, credentials and SSL through pg's ConnectionParameters,
 * from its config, a connection string or PG* variables alike, so those fields are replaced there, and the
 * program's other options (pool size, statement_timeout, application_name) stay. postgres-js (`postgres`) is
 * redirected where the program calls it: `postgres(url?, options?)` gets the proxy's fields as options, which
 * postgres-js reads before its URL and PG* variables. Under any other driver, a TCP
 * connection to a PostgreSQL port (5432 and the dry-run's own database's) on any host but the proxy, and a
 * PostgreSQL Unix socket, is refused with an error naming the target, as a refused connection fails. Other TCP
 * (HTTP, a queue) connects as before. This guards against config pointing elsewhere, not against code working
 * around it (a child process, a native driver): see docs/security.md.
 */
import * as fs from 'fs';
import * as net from 'net';
import { DATABASE_REDIRECT_VARIABLE, type DatabaseRedirect, directConnectionRefusal } from './database-redirect';
import { type LibraryExport, patchExportAsLoaded } from './loaded-modules';
// The module system itself, whose `_load` is patched below: an `import * as` namespace would be a copy of it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import Module = require('module');

/** The module every pg Client (JS and native) builds its connection settings with, in every pg version since 2. */
const PG_CONNECTION_PARAMETERS = /[\\/]pg[\\/]lib[\\/]connection-parameters\.js$/;
/**
 * postgres-js's `postgres()`: `require('postgres')` (and a TypeScript script's `import postgres from 'postgres'`,
 * transpiled) loads the CommonJS build, an ES module's `import` the ES module build.
 */
const POSTGRES_JS: LibraryExport = {
  commonJs: /[\\/]postgres[\\/]cjs[\\/]src[\\/]index\.js$/,
  esModule: /[\\/]postgres[\\/]src[\\/]index\.js$/,
  name: 'default',
};
/** The socket file a PostgreSQL server listens on in its socket directory (libpq and pg add it to a directory host). */
const POSTGRES_SOCKET = /(^|[\\/])\.s\.PGSQL\.\d+$/;

interface ModuleLoader {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
  _resolveFilename(request: string, parent: unknown, isMain: boolean): string;
}

type ConnectionParameters = new (config: unknown) => object;

const redirect = readRedirect();
if (redirect) {
  redirectPg(redirect.endpoint);
  patchExportAsLoaded(POSTGRES_JS, (postgres) => redirectPostgresJs(postgres, redirect.endpoint));
  refuseDirectConnections(redirect);
}

function readRedirect(): DatabaseRedirect | undefined {
  const value = process.env[DATABASE_REDIRECT_VARIABLE];
  if (!value) return undefined;
  try {
    return JSON.parse(value) as DatabaseRedirect;
  } catch {
    return undefined;
  }
}

/**
 * pg's connection-parameters module is swapped, as pg's client modules load it, for a subclass that ends on the
 * proxy: resolved from wherever the program loads pg (its own node_modules, knex's, Sequelize's), since the preload
 * cannot require the program's copy itself.
 */
function redirectPg(endpoint: DatabaseRedirect['endpoint']): void {
  const loader = Module as unknown as ModuleLoader;
  const load = loader._load;
  const redirected = new WeakMap<ConnectionParameters, ConnectionParameters>();
  loader._load = function (request: string, parent: unknown, isMain: boolean) {
    const exports = load.call(this, request, parent, isMain);
    if (typeof exports !== 'function' || !request.endsWith('connection-parameters')) return exports;
    if (!PG_CONNECTION_PARAMETERS.test(loader._resolveFilename(request, parent, isMain))) return exports;
    const original = exports as ConnectionParameters;
    let toEndpoint = redirected.get(original);
    if (!toEndpoint) {
      toEndpoint = class extends original {
        constructor(config: unknown) {
          super(config);
          // Assigned, not redefined: pg made `password` non-enumerable so that a logged client hides it.
          Object.assign(this, {
            host: endpoint.host,
            port: endpoint.port,
            user: endpoint.user,
            password: endpoint.password,
            database: endpoint.database,
            isDomainSocket: false,
            // The proxy speaks plain TCP on 127.0.0.1: no SSLRequest, no direct TLS.
            ssl: false,
            sslnegotiation: undefined,
          });
        }
      };
      redirected.set(original, toEndpoint);
    }
    return toEndpoint;
  };
}

type PostgresJs = (url?: unknown, options?: unknown) => unknown;

/**
 * `postgres(url?, options?)` with the proxy's host, port, credentials and database as options: postgres-js takes an
 * option before the URL's field and the PG* variable, so the URL's other parameters and every other option of the
 * program (max, idle_timeout, transform, types, prepare) stay. `path` (a Unix socket) and `hostname` would win over
 * `host`; SSL is off because the proxy speaks plain TCP on 127.0.0.1 (an `sslmode` of the URL loses to the option).
 */
function redirectPostgresJs(exports: unknown, endpoint: DatabaseRedirect['endpoint']): unknown {
  if (typeof exports !== 'function') return exports;
  const postgres = exports as PostgresJs;
  const redirected = function (this: unknown, url?: unknown, options?: unknown) {
    const own = (url !== null && typeof url === 'object' ? url : options) ?? {};
    return postgres.call(this, typeof url === 'string' ? url : undefined, {
      ...(own as object),
      host: endpoint.host,
      hostname: undefined,
      path: undefined,
      port: endpoint.port,
      user: endpoint.user,
      username: undefined,
      pass: endpoint.password,
      password: undefined,
      database: endpoint.database,
      db: undefined,
      ssl: false,
      sslnegotiation: null,
    });
  };
  // postgres.camel, postgres.PostgresError, postgres.BigInt...
  return Object.assign(redirected, postgres);
}

/**
 * Every TCP and IPC connection of Node goes through net.Socket's connect (net.connect, tls.connect and the drivers
 * that make their own Socket alike): the backstop for drivers the redirect above does not know.
 */
function refuseDirectConnections(redirect: DatabaseRedirect): void {
  const connect = net.Socket.prototype.connect as (this: net.Socket, ...args: unknown[]) => net.Socket;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const target = refusedTarget(connectTarget(args), redirect);
    if (target === undefined) return connect.apply(this, args);
    const message = directConnectionRefusal(target);
    report(message, target, redirect.refusalsFile);
    // Failed as a refused connection fails, asynchronously, so that the driver's error handling sees it.
    process.nextTick(() => this.destroy(Object.assign(new Error(message), { code: 'EPREFLIGHTDIRECT' })));
    return this;
  } as typeof net.Socket.prototype.connect;
}

/** The arguments of Socket#connect: (options), (port[, host]), (path), or net.connect's normalized [options, callback]. */
function connectTarget(args: unknown[]): { path?: string; host?: string; port?: number } {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first !== null && typeof first === 'object') {
    const options = first as { path?: unknown; host?: unknown; port?: unknown };
    if (typeof options.path === 'string') return { path: options.path };
    return { host: typeof options.host === 'string' ? options.host : undefined, port: Number(options.port) };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  return { port: Number(first), host: typeof args[1] === 'string' ? args[1] : undefined };
}

function refusedTarget(
  target: { path?: string; host?: string; port?: number },
  { endpoint, guardedPorts }: DatabaseRedirect,
): string | undefined {
  if (target.path !== undefined) return POSTGRES_SOCKET.test(target.path) ? target.path : undefined;
  // Node connects to localhost when no host is given.
  const host = target.host || 'localhost';
  const port = target.port ?? NaN;
  if (!guardedPorts.includes(port)) return undefined;
  if (port === endpoint.port && (host === endpoint.host || host === 'localhost')) return undefined;
  return `${host}:${port}`;
}

/** On stderr at once, so that it shows where the program swallows the error, and in the file the report reads. */
function report(message: string, target: string, refusalsFile: string | undefined): void {
  try {
    fs.writeSync(2, `${message}\n`);
  } catch {
    // stderr is gone: the error the connection gets still says it.
  }
  try {
    if (refusalsFile) fs.appendFileSync(refusalsFile, `${target}\n`);
  } catch {
    // The report then lacks the note; the program's error still says it.
  }
}
