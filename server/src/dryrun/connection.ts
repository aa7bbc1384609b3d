import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ClientConfig } from 'pg';
import type { ResolvedConfig } from '../resolved-config';
import { DryRunError, RemoteServerRefused, scrubSecrets } from './errors';
import { CLI_WORDING, type FrontEndWording } from './wording';

/**
 * Where a dry-run runs, decided the way libpq (psql) decides where to connect, so that the database a
 * developer's `psql` reaches is the one Preflight dry-runs on: a URL (`--database-url`, `DATABASE_URL` or a
 * named connection in config), a pg service file entry, `PG*` environment variables, `~/.pgpass` for the
 * password. Without any of them: the embedded PostgreSQL.
 */
export type DryRunTarget = ServerTarget | { kind: 'embedded'; source: string };

export interface ServerTarget {
  kind: 'server';
  client: ClientConfig;
  host: string;
  port: number;
  database: string;
  user: string;
  /** How the connection was chosen, for the report: `--database-url`, `DATABASE_URL`, ... */
  source: string;
  /** Passwords involved, to scrub from anything that leaves Preflight. */
  secrets: string[];
  /** Why a password file was not used (libpq ignores one that other users can read). */
  passwordFileProblem?: string;
}

export interface TargetOptions {
  /** A `postgres://` URL, the name of a connection in config, or `env` (DATABASE_URL / PG* variables only). */
  databaseUrl?: string;
  /** Given separately (the editor's secret storage); wins over any other password. */
  password?: string;
  allowRemote?: boolean;
  config: ResolvedConfig;
  env: NodeJS.ProcessEnv;
  /** How messages name the switches; the CLI's flags when absent. */
  wording?: FrontEndWording;
  homeDir: string;
}

/** libpq connection parameters (the subset Preflight honours), by their conninfo names. */
type Parameters = Partial<
  Record<
    | 'host'
    | 'hostaddr'
    | 'port'
    | 'dbname'
    | 'user'
    | 'password'
    | 'sslmode'
    | 'sslrootcert'
    | 'service'
    | 'connect_timeout',
    string
  >
>;

const PARAMETER_NAMES = new Set([
  'host',
  'hostaddr',
  'port',
  'dbname',
  'user',
  'password',
  'sslmode',
  'sslrootcert',
  'service',
  'connect_timeout',
]);

const ENVIRONMENT: Record<string, keyof Parameters> = {
  PGHOST: 'host',
  PGHOSTADDR: 'hostaddr',
  PGPORT: 'port',
  PGDATABASE: 'dbname',
  PGUSER: 'user',
  PGPASSWORD: 'password',
  PGSSLMODE: 'sslmode',
  PGSSLROOTCERT: 'sslrootcert',
  PGSERVICE: 'service',
  PGCONNECT_TIMEOUT: 'connect_timeout',
};

/** Variables that, set on their own, say where to connect (PGPASSWORD alone does not). */
const LOCATION_VARIABLES = ['PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGSERVICE'];

export function resolveTarget(options: TargetOptions): DryRunTarget {
  const { env, config } = options;
  const secrets = [options.password ?? '', env.PGPASSWORD ?? ''];
  const fail = (message: string): never => {
    throw new DryRunError(scrubSecrets(message, secrets));
  };
  let explicit: Parameters;
  let source: string;
  const useEnvironment = options.databaseUrl === 'env';
  if (useEnvironment && !env.DATABASE_URL && !LOCATION_VARIABLES.some((name) => env[name])) {
    fail('--database-url env: neither DATABASE_URL nor any PG* variable (PGHOST, PGDATABASE, PGSERVICE, ...) is set');
  }
  if (options.databaseUrl !== undefined && !useEnvironment) {
    ({ explicit, source } = namedOrUrl(options.databaseUrl, config, options.wording ?? CLI_WORDING, fail));
  } else if (env.DATABASE_URL) {
    explicit = parseUrl(env.DATABASE_URL, 'DATABASE_URL', fail);
    source = 'DATABASE_URL';
  } else if (LOCATION_VARIABLES.some((name) => env[name])) {
    explicit = {};
    source = 'PG* environment variables';
  } else if (config.defaultConnection && !useEnvironment) {
    const connection = config.connections.find((c) => c.name === config.defaultConnection)!;
    explicit = parseUrl(connection.url, `connection "${connection.name}"`, fail);
    source = `connection "${connection.name}" (defaultConnection in ${configName(config)})`;
  } else {
    return {
      kind: 'embedded',
      source: 'embedded PostgreSQL (no database URL, DATABASE_URL, PG* variables or default connection)',
    };
  }
  if (explicit.password) secrets.push(explicit.password);

  const serviceName = explicit.service ?? env.PGSERVICE;
  const service = serviceName ? serviceParameters(serviceName, env, options.homeDir, fail) : {};
  if (serviceName) source += ` + service "${serviceName}"`;
  if (service.password) secrets.push(service.password);
  const fromEnvironment: Parameters = {};
  for (const [variable, name] of Object.entries(ENVIRONMENT)) if (env[variable]) fromEnvironment[name] = env[variable];
  const merged: Parameters = { ...fromEnvironment, ...service, ...explicit };

  const port = Number(merged.port ?? 5432);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`port "${merged.port}" is not a port number`);
  const host = merged.hostaddr || merged.host || defaultHost(port);
  if (host.includes(',')) fail(`several hosts ("${host}") are not supported: name one server`);
  const user = merged.user || env.USER || os.userInfo().username;
  const database = merged.dbname || user;
  let password = options.password || explicit.password || service.password || env.PGPASSWORD || undefined;
  let passwordFileProblem: string | undefined;
  if (password === undefined) {
    const found = passwordFromFile({ host, port, database, user }, env, options.homeDir);
    password = found.password;
    passwordFileProblem = found.problem;
    if (password) secrets.push(password);
  }
  if (!options.allowRemote && !isLocalHost(host)) {
    const message = `${host} is not a local database server: ${(options.wording ?? CLI_WORDING).allowRemote} (source: ${source})`;
    throw new RemoteServerRefused(scrubSecrets(message, secrets), host);
  }
  const client: ClientConfig = {
    host,
    port,
    user,
    database,
    password,
    ssl: sslOption(merged, fail),
    connectionTimeoutMillis: merged.connect_timeout ? Number(merged.connect_timeout) * 1000 : 10_000,
  };
  return {
    kind: 'server',
    client,
    host,
    port,
    database,
    user,
    source,
    secrets: secrets.filter(Boolean),
    passwordFileProblem,
  };
}

function namedOrUrl(
  value: string,
  config: ResolvedConfig,
  wording: FrontEndWording,
  fail: (message: string) => never,
): { explicit: Parameters; source: string } {
  const source = wording.explicitConnection;
  if (/^postgres(ql)?:\/\//i.test(value)) return { explicit: parseUrl(value, source, fail), source };
  const connection = config.connections.find((c) => c.name === value);
  if (!connection) {
    const known = config.connections.map((c) => c.name);
    return fail(
      `--database-url must be a postgres:// URL or the name of a connection in ${configName(config)}${known.length ? ` (known: ${known.join(', ')})` : ' (none are configured)'}`,
    );
  }
  return {
    explicit: parseUrl(connection.url, `connection "${connection.name}"`, fail),
    source: `connection "${connection.name}" (${configName(config)})`,
  };
}

function configName(config: ResolvedConfig): string {
  return config.file ? path.basename(config.file) : '.preflightrc.json';
}

/** `postgres[ql]://user:password@host:port/dbname?sslmode=...&host=/socket/dir`, percent-decoded. */
function parseUrl(url: string, what: string, fail: (message: string) => never): Parameters {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail(`${what} is not a valid postgres:// URL`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    return fail(`${what} must start with postgres:// or postgresql://`);
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return fail(`${what} has a malformed %-escape`);
    }
  };
  const parameters: Parameters = {};
  const hostname = decode(parsed.hostname).replace(/^\[(.*)\]$/, '$1');
  if (hostname) parameters.host = hostname;
  if (parsed.port) parameters.port = parsed.port;
  if (parsed.username) parameters.user = decode(parsed.username);
  if (parsed.password) parameters.password = decode(parsed.password);
  const database = decode(parsed.pathname.replace(/^\//, ''));
  if (database) parameters.dbname = database;
  for (const [name, value] of parsed.searchParams) {
    if (PARAMETER_NAMES.has(name)) parameters[name as keyof Parameters] = value;
    else if (name === 'ssl' && ['true', '1'].includes(value)) parameters.sslmode ??= 'require';
  }
  return parameters;
}

/**
 * An entry of the pg service file: `PGSERVICEFILE` or `~/.pg_service.conf`, then the system-wide
 * `pg_service.conf` in `PGSYSCONFDIR` (Debian: /etc/postgresql-common). The first file with the service wins.
 */
function serviceParameters(
  name: string,
  env: NodeJS.ProcessEnv,
  homeDir: string,
  fail: (message: string) => never,
): Parameters {
  const files = [
    env.PGSERVICEFILE ?? path.join(homeDir, '.pg_service.conf'),
    path.join(env.PGSYSCONFDIR ?? '/etc/postgresql-common', 'pg_service.conf'),
  ];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const parameters = parseServiceFile(text, name);
    if (parameters) return parameters;
  }
  return fail(`service "${name}" is not defined in ${files.join(' or ')}`);
}

function parseServiceFile(text: string, name: string): Parameters | undefined {
  let current: string | undefined;
  let found: Parameters | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      if (found) return found;
      current = section[1].trim();
      if (current === name) found = {};
      continue;
    }
    const eq = line.indexOf('=');
    if (found && current === name && eq > 0) {
      const key = line.slice(0, eq).trim();
      if (PARAMETER_NAMES.has(key)) found[key as keyof Parameters] = line.slice(eq + 1).trim();
    }
  }
  return found;
}

/**
 * The password for a connection from `PGPASSFILE` or `~/.pgpass` (`host:port:database:user:password`,
 * `*` matches anything, `\:` and `\\` escape). Like libpq, a file others can read is ignored.
 */
function passwordFromFile(
  target: { host: string; port: number; database: string; user: string },
  env: NodeJS.ProcessEnv,
  homeDir: string,
): { password?: string; problem?: string } {
  const file = env.PGPASSFILE ?? path.join(homeDir, '.pgpass');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return {};
  }
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    return { problem: `${file} is readable by other users, so it was ignored, as psql does (chmod 600 ${file})` };
  }
  // A socket connection matches the host name `localhost`, as in libpq.
  const hosts = target.host.startsWith('/') ? ['localhost', target.host] : [target.host];
  const wanted = [hosts, [String(target.port)], [target.database], [target.user]];
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = splitPassLine(line);
    if (fields.length < 5) continue;
    if (wanted.every((values, i) => fields[i] === '*' || values.includes(fields[i])))
      return { password: fields.slice(4).join(':') };
  }
  return {};
}

function splitPassLine(line: string): string[] {
  const fields: string[] = [''];
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\' && i + 1 < line.length) fields[fields.length - 1] += line[++i];
    else if (line[i] === ':' && fields.length < 5) fields.push('');
    else fields[fields.length - 1] += line[i];
  }
  return fields;
}

/** libpq's default is the Unix socket; use it when the server listens there, else TCP on localhost. */
function defaultHost(port: number): string {
  for (const dir of ['/var/run/postgresql', '/tmp']) {
    if (fs.existsSync(path.join(dir, `.s.PGSQL.${port}`))) return dir;
  }
  return 'localhost';
}

/** A Unix socket, `localhost` or a loopback address: the developer's own machine. */
export function isLocalHost(host: string): boolean {
  const name = host.toLowerCase();
  return (
    name.startsWith('/') ||
    name.startsWith('@') ||
    name === 'localhost' ||
    /^127\.\d+\.\d+\.\d+$/.test(name) ||
    name === '::1'
  );
}

/** libpq's `sslmode` in node-postgres terms; `prefer` (libpq's default) connects without TLS. */
function sslOption(parameters: Parameters, fail: (message: string) => never): ClientConfig['ssl'] {
  const mode = parameters.sslmode ?? 'prefer';
  switch (mode) {
    case 'disable':
    case 'allow':
    case 'prefer':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full': {
      let ca: string | undefined;
      if (parameters.sslrootcert) {
        try {
          ca = fs.readFileSync(parameters.sslrootcert, 'utf8');
        } catch {
          return fail(`sslrootcert ${parameters.sslrootcert} cannot be read`);
        }
      }
      return { rejectUnauthorized: true, ca };
    }
    default:
      return fail(`sslmode "${mode}" is not one of disable, allow, prefer, require, verify-ca, verify-full`);
  }
}

/** Describes a target without its password: `user@host:port/database`. */
export function describeTarget(target: ServerTarget): string {
  return `${target.user}@${target.host}:${target.port}/${target.database}`;
}
