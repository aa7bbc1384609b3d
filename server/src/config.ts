import * as fs from 'fs';
import * as path from 'path';
import { configSchema, configSchemaProblem, shortName } from './config-schema';
import { globProblem } from './glob';
import { variantKey } from './parse/conditions';
import { allRules } from './lint/registry';
import type { OptionSpec } from './lint/rule';
import type {
  DatabaseConnection,
  FormatSettings,
  MigrationDirectory,
  ResolvedConfig,
  RuleSetting,
  SeveritySetting,
} from './resolved-config';
import { readUserText } from './source-files';

const DEFAULT_FORMAT: FormatSettings = { keywordCase: 'upper', indent: 2, lineWidth: 100 };

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly key: string,
    problem: string,
  ) {
    super(`${file}: ${key}: ${problem}`);
  }
}

/**
 * `table[key]` only for the table's own entries: a config key such as `constructor`, `toString` or `__proto__`
 * would otherwise find Object.prototype's members and pass as a known key (or crash the validator).
 */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export const CONFIG_FILE_NAME = '.preflightrc.json';
export const DEFAULT_PG_VERSION = 16;

/** The keys `.preflightrc.json` may have (`$schema` for editors), from the schema the config is validated with. */
export function knownConfigKeys(): string[] {
  return Object.keys(configSchema().properties as object);
}

/** The defaults apart from `rootDir`, resolved once: a run over thousands of folders without a config shares them. */
let defaults: ResolvedConfig | undefined;

export function defaultConfig(rootDir: string): ResolvedConfig {
  defaults ??= settingsOf({}, '', undefined, CONFIG_FILE_NAME);
  return { ...defaults, rootDir };
}

/**
 * The defaults with rule settings from outside a config file (an editor's `preflight.rules` setting, used
 * only where no config file applies); `origin` names that source in a ConfigError.
 */
export function defaultConfigWithRules(
  rootDir: string,
  rules: Record<string, unknown>,
  origin: string,
): ResolvedConfig {
  validate({ rules }, origin);
  return { ...defaultConfig(rootDir), rules: resolveRules(rules) };
}

/** Loads one config file (the `--config FILE` case). Throws ConfigError on any problem. */
export function loadConfigFile(file: string): ResolvedConfig {
  const absolute = path.resolve(file);
  const read = readUserText(absolute);
  if ('problem' in read) throw new ConfigError(file, '(file)', read.problem);
  let json: unknown;
  try {
    json = JSON.parse(read.text);
  } catch (error) {
    throw new ConfigError(file, '(json)', `invalid JSON: ${(error as Error).message}`);
  }
  if (path.basename(absolute) === 'package.json')
    json = own((json ?? {}) as Record<string, unknown>, 'preflight') ?? {};
  return resolve(json, path.dirname(absolute), file);
}

/** Finds the config that applies to `filePath` by walking up its directories. */
export function findConfigFile(filePath: string): string | undefined {
  let dir = path.dirname(path.resolve(filePath));
  for (;;) {
    const rc = path.join(dir, CONFIG_FILE_NAME);
    if (fs.existsSync(rc)) return rc;
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && hasPreflightKey(pkg)) return pkg;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function hasPreflightKey(pkg: string): boolean {
  const read = readUserText(pkg);
  if ('problem' in read) return false;
  try {
    return Object.hasOwn(JSON.parse(read.text) ?? {}, 'preflight');
  } catch {
    return false;
  }
}

/** Config lookups cached by config file; the language server clears it when a config file changes. */
export class ConfigCache {
  private readonly byFile = new Map<string, ResolvedConfig>();
  /**
   * The default config of each folder without a config file: one object per folder, not per file, so that what
   * is computed from a config and kept with it (compiled audit-table patterns, the results cache's config hash)
   * is computed once per folder.
   */
  private readonly defaultsByDirectory = new Map<string, ResolvedConfig>();

  /** The config for `filePath`, or for everything when `explicitFile` is given. Throws ConfigError. */
  configFor(filePath: string, explicitFile?: string): ResolvedConfig {
    const file = explicitFile ?? findConfigFile(filePath);
    if (!file) {
      const directory = path.dirname(path.resolve(filePath));
      let defaults = this.defaultsByDirectory.get(directory);
      if (!defaults) this.defaultsByDirectory.set(directory, (defaults = defaultConfig(directory)));
      return defaults;
    }
    let config = this.byFile.get(file);
    if (!config) {
      config = loadConfigFile(file);
      this.byFile.set(file, config);
    }
    return config;
  }

  clear(): void {
    this.byFile.clear();
    this.defaultsByDirectory.clear();
  }
}

function resolve(json: unknown, rootDir: string, file: string | undefined): ResolvedConfig {
  const where = file ?? CONFIG_FILE_NAME;
  validate(json, where);
  return settingsOf(json as Record<string, unknown>, rootDir, file, where);
}

/**
 * Throws the first way `json` breaks the config's JSON Schema, then what a schema cannot say: glob wildcard
 * limits and connection URLs (no password, unique names).
 */
function validate(json: unknown, where: string): void {
  const problem = configSchemaProblem(json);
  if (problem) throw new ConfigError(where, problem.key, problem.problem);
  const raw = json as Record<string, unknown>;
  for (const key of ['auditTables', 'ignore'] as const) {
    ((raw[key] ?? []) as string[]).forEach((pattern, i) => {
      const globTrouble = globProblem(pattern);
      if (globTrouble) throw new ConfigError(where, key, `[${i}] "${shortName(pattern)}" ${globTrouble}`);
    });
  }
  checkConnections((raw.connections ?? []) as DatabaseConnection[], where);
}

/** A config that passed `validate`, resolved: defaults filled in, paths made absolute. */
function settingsOf(
  raw: Record<string, unknown>,
  rootDir: string,
  file: string | undefined,
  where: string,
): ResolvedConfig {
  return {
    file,
    rootDir,
    rules: resolveRules((raw.rules ?? {}) as Record<string, unknown>),
    auditTables: (raw.auditTables as string[] | undefined) ?? [],
    migrations: ((raw.migrations ?? []) as (string | MigrationDirectory)[]).map(migrationDirectory),
    pgVersion: (raw.pgVersion as number | undefined) ?? DEFAULT_PG_VERSION,
    ignore: (raw.ignore as string[] | undefined) ?? [],
    ...resolveConnections(raw, where),
    schemaFile: typeof raw.schemaFile === 'string' ? path.resolve(rootDir, raw.schemaFile) : undefined,
    format: { ...DEFAULT_FORMAT, ...(raw.format as Partial<FormatSettings> | undefined) },
    variants: Object.entries((raw.variants ?? {}) as Record<string, Record<string, string | number | boolean>>).map(
      ([name, values]) => ({
        name,
        values: new Map(Object.entries(values).map(([key, value]) => [variantKey(key), String(value)])),
      }),
    ),
  };
}

function resolveConnections(
  raw: Record<string, unknown>,
  where: string,
): Pick<ResolvedConfig, 'connections' | 'defaultConnection'> {
  const connections = (raw.connections as DatabaseConnection[] | undefined) ?? [];
  const defaultConnection = raw.defaultConnection as string | undefined;
  if (defaultConnection !== undefined && !connections.some((c) => c.name === defaultConnection)) {
    throw new ConfigError(
      where,
      'defaultConnection',
      `names no entry of "connections" (known: ${connections.map((c) => shortName(c.name)).join(', ') || 'none'})`,
    );
  }
  return { connections: connections.map(({ name, url }) => ({ name, url })), defaultConnection };
}

/** Every rule's setting: its defaults, overridden by what `json` (already validated) sets. */
function resolveRules(json: Record<string, unknown>): Map<string, RuleSetting> {
  const rules = allRules();
  const settings = new Map<string, RuleSetting>();
  for (const [id, rule] of rules) {
    settings.set(id, { severity: rule.severity, options: defaultOptions(rule.options), explicit: false });
  }
  for (const [id, value] of Object.entries(json)) {
    const [severity, options = {}] = Array.isArray(value) ? value : [value];
    settings.set(id, {
      severity: severity as SeveritySetting,
      options: { ...defaultOptions(rules.get(id)?.options), ...(options as Record<string, unknown>) },
      explicit: true,
    });
  }
  return settings;
}

function defaultOptions(specs: Record<string, OptionSpec> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(specs ?? {}).map(([name, spec]) => [name, spec.default]));
}

function migrationDirectory(entry: string | MigrationDirectory): MigrationDirectory {
  if (typeof entry === 'string') return { path: entry };
  const { path: dir, framework, transaction, dialect, runner } = entry;
  return { path: dir, framework, transaction, dialect, runner };
}

/** `[{ "name": "staging", "url": "postgres://app@staging-db/app" }]`: unique names, URLs without a password. */
function checkConnections(connections: readonly DatabaseConnection[], where: string): void {
  const fail = (problem: string): never => {
    throw new ConfigError(where, 'connections', problem);
  };
  const names = new Set<string>();
  connections.forEach(({ name, url }, i) => {
    if (names.has(name)) fail(`[${i}]: duplicate name "${shortName(name)}"`);
    names.add(name);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return fail(`[${i}] "${shortName(name)}": url is not a URL (expected postgres://user@host:port/database)`);
    }
    // libpq also takes the password as a parameter (`?password=`): a committed config must not carry it either way.
    if (parsed.password || parsed.searchParams.has('password'))
      fail(`[${i}] "${shortName(name)}": url must not contain a password; use PGPASSWORD or ~/.pgpass`);
  });
}
