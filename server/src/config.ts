import * as fs from 'fs';
import * as path from 'path';
import { globProblem } from './glob';
import { variantKey } from './parse/conditions';
import { DIALECTS, Dialect } from './parse/dialect';
import type { Framework } from './parse/host-types';
import { RUNNER_IDS, RunnerId } from './parse/runners';
import type { TransactionMode } from './parse/transactions';
import { allRules } from './lint/registry';
import type { OptionSpec } from './lint/rule';
import type { DatabaseConnection, FormatSettings, MigrationDirectory, ResolvedConfig, RuleSetting, SeveritySetting } from './resolved-config';
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

/** Names from a config file shown in a message: a 5 MB key is not echoed whole. */
const NAME_LIMIT = 60;

function shortName(name: string): string {
  return name.length > NAME_LIMIT ? `${name.slice(0, NAME_LIMIT)}…` : name;
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

const SEVERITIES: SeveritySetting[] = ['off', 'info', 'warning', 'error'];
const FRAMEWORKS: Framework[] = ['sequelize', 'knex', 'typeorm', 'node-pg-migrate', 'db-migrate', 'script'];
const TRANSACTION_MODES: TransactionMode[] = ['per-migration', 'none'];

/** Top-level keys and their validators; `$schema` is allowed for editor completion. */
const KEYS: Record<string, (value: unknown, fail: (problem: string) => never) => void> = {
  $schema: (value, fail) => expectType(value, 'string', fail),
  rules: (value, fail) => expectType(value, 'object', fail),
  auditTables: (value, fail) => expectGlobs(value, fail),
  migrations: (value, fail) => expectType(value, 'array', fail),
  pgVersion: (value, fail) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 9 || value > 30) fail('must be a PostgreSQL major version such as 16');
  },
  ignore: (value, fail) => expectGlobs(value, fail),
  connections: (value, fail) => expectConnections(value, fail),
  defaultConnection: (value, fail) => expectType(value, 'string', fail),
  schemaFile: (value, fail) => expectType(value, 'string', fail),
  format: (value, fail) => validateFormat(value, fail),
  variants: (value, fail) => validateVariants(value, fail),
};

/** The keys `.preflightrc.json` may have; `server/preflightrc.schema.json` documents the same set. */
export const KNOWN_CONFIG_KEYS: readonly string[] = Object.keys(KEYS);

/** The defaults apart from `rootDir`, resolved once: a run over thousands of folders without a config shares them. */
let defaults: ResolvedConfig | undefined;

export function defaultConfig(rootDir: string): ResolvedConfig {
  defaults ??= resolve({}, '', undefined);
  return { ...defaults, rootDir };
}

/**
 * The defaults with rule settings from outside a config file (an editor's `preflight.rules` setting, used
 * only where no config file applies); `origin` names that source in a ConfigError.
 */
export function defaultConfigWithRules(rootDir: string, rules: Record<string, unknown>, origin: string): ResolvedConfig {
  return { ...defaultConfig(rootDir), rules: resolveRules(rules, origin) };
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
  if (path.basename(absolute) === 'package.json') json = own((json ?? {}) as Record<string, unknown>, 'preflight') ?? {};
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
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new ConfigError(where, '(root)', 'must be a JSON object');
  const raw = json as Record<string, unknown>;
  for (const [key, value] of Object.entries(raw)) {
    const validate = own(KEYS, key);
    if (!validate) throw new ConfigError(where, shortName(key), `unknown key (known: ${Object.keys(KEYS).filter((k) => k !== '$schema').join(', ')})`);
    validate(value, (problem) => {
      throw new ConfigError(where, key, problem);
    });
  }
  return {
    file,
    rootDir,
    rules: resolveRules((raw.rules ?? {}) as Record<string, unknown>, where),
    auditTables: (raw.auditTables as string[] | undefined) ?? [],
    migrations: ((raw.migrations ?? []) as unknown[]).map((entry, i) => resolveMigrationDirectory(entry, `migrations[${i}]`, where)),
    pgVersion: (raw.pgVersion as number | undefined) ?? DEFAULT_PG_VERSION,
    ignore: (raw.ignore as string[] | undefined) ?? [],
    ...resolveConnections(raw, where),
    schemaFile: typeof raw.schemaFile === 'string' ? path.resolve(rootDir, raw.schemaFile) : undefined,
    format: { ...DEFAULT_FORMAT, ...(raw.format as Partial<FormatSettings> | undefined) },
    variants: Object.entries((raw.variants ?? {}) as Record<string, Record<string, string | number | boolean>>).map(([name, values]) => ({
      name,
      values: new Map(Object.entries(values).map(([key, value]) => [variantKey(key), String(value)])),
    })),
  };
}

/** `{ "facility": { "serverType": "facility" } }`: names to objects of string, number or boolean values. */
function validateVariants(value: unknown, fail: (problem: string) => never): void {
  expectType(value, 'object', fail);
  for (const [name, values] of Object.entries(value as Record<string, unknown>)) {
    if (!values || typeof values !== 'object' || Array.isArray(values)) fail(`"${shortName(name)}" must be an object of values, e.g. { "serverType": "${shortName(name)}" }`);
    for (const [key, setting] of Object.entries(values as Record<string, unknown>)) {
      if (!['string', 'number', 'boolean'].includes(typeof setting)) fail(`"${shortName(name)}".${shortName(key)} must be a string, number or boolean`);
    }
  }
}

function validateFormat(value: unknown, fail: (problem: string) => never): void {
  expectType(value, 'object', fail);
  for (const [key, setting] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'keywordCase') {
      if (!['upper', 'lower', 'preserve'].includes(setting as string)) fail('keywordCase must be one of "upper", "lower", "preserve"');
    } else if (key === 'indent' || key === 'lineWidth') {
      const [min, max] = key === 'indent' ? [1, 8] : [20, 400];
      if (!Number.isInteger(setting) || (setting as number) < min || (setting as number) > max) fail(`${key} must be a whole number from ${min} to ${max}`);
    } else {
      fail(`unknown key "${shortName(key)}" (known: keywordCase, indent, lineWidth)`);
    }
  }
}

function resolveConnections(raw: Record<string, unknown>, where: string): Pick<ResolvedConfig, 'connections' | 'defaultConnection'> {
  const connections = (raw.connections as DatabaseConnection[] | undefined) ?? [];
  const defaultConnection = raw.defaultConnection as string | undefined;
  if (defaultConnection !== undefined && !connections.some((c) => c.name === defaultConnection)) {
    throw new ConfigError(where, 'defaultConnection', `names no entry of "connections" (known: ${connections.map((c) => shortName(c.name)).join(', ') || 'none'})`);
  }
  return { connections: connections.map(({ name, url }) => ({ name, url })), defaultConnection };
}

function resolveRules(json: Record<string, unknown>, where: string): Map<string, RuleSetting> {
  const rules = allRules();
  const settings = new Map<string, RuleSetting>();
  for (const [id, rule] of rules) {
    settings.set(id, { severity: rule.severity, options: defaultOptions(rule.options), explicit: false });
  }
  for (const [id, value] of Object.entries(json)) {
    const key = `rules.${shortName(id)}`;
    const rule = rules.get(id);
    if (!rule) throw new ConfigError(where, key, `unknown rule id (run \`preflight rules\` for the list)`);
    const [severity, options] = Array.isArray(value) ? value : [value, {}];
    if (!SEVERITIES.includes(severity as SeveritySetting)) {
      throw new ConfigError(where, key, `severity must be one of ${SEVERITIES.map((s) => `"${s}"`).join(', ')}`);
    }
    if (!options || typeof options !== 'object' || Array.isArray(options)) throw new ConfigError(where, key, 'options must be an object');
    settings.set(id, {
      severity: severity as SeveritySetting,
      options: validateOptions(rule.options ?? {}, options as Record<string, unknown>, key, where),
      explicit: true,
    });
  }
  return settings;
}

function defaultOptions(specs: Record<string, OptionSpec> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(specs ?? {}).map(([name, spec]) => [name, spec.default]));
}

function validateOptions(specs: Record<string, OptionSpec>, given: Record<string, unknown>, key: string, where: string): Record<string, unknown> {
  const options = defaultOptions(specs);
  for (const [name, value] of Object.entries(given)) {
    const spec = own(specs, name);
    if (!spec) {
      const known = Object.keys(specs);
      throw new ConfigError(where, `${key}.${shortName(name)}`, known.length ? `unknown option (known: ${known.join(', ')})` : 'this rule takes no options');
    }
    const ok = spec.type === 'string[]' ? Array.isArray(value) && value.every((v) => typeof v === 'string') : typeof value === spec.type;
    if (!ok) throw new ConfigError(where, `${key}.${name}`, `must be a ${spec.type}`);
    options[name] = value;
  }
  return options;
}

function resolveMigrationDirectory(entry: unknown, key: string, where: string): MigrationDirectory {
  const fail = (problem: string): never => {
    throw new ConfigError(where, key, problem);
  };
  if (typeof entry === 'string') return { path: entry };
  if (!entry || typeof entry !== 'object') fail('must be a directory path or { "path", "framework", "transaction", "dialect", "runner" }');
  const { path: dir, framework, transaction, dialect, runner, ...rest } = entry as Record<string, unknown>;
  const unknownKey = Object.keys(rest)[0];
  if (unknownKey !== undefined) fail(`unknown key "${shortName(unknownKey)}"`);
  if (typeof dir !== 'string') fail('"path" must be a string');
  if (framework !== undefined && !FRAMEWORKS.includes(framework as Framework)) fail(`"framework" must be one of ${FRAMEWORKS.join(', ')}`);
  if (transaction !== undefined && !TRANSACTION_MODES.includes(transaction as TransactionMode)) {
    fail(`"transaction" must be one of ${TRANSACTION_MODES.join(', ')}`);
  }
  if (dialect !== undefined && !DIALECTS.includes(dialect as Dialect)) fail(`"dialect" must be one of ${DIALECTS.join(', ')}`);
  if (runner !== undefined && !RUNNER_IDS.includes(runner as RunnerId)) fail(`"runner" must be one of ${RUNNER_IDS.join(', ')}`);
  return {
    path: dir as string,
    framework: framework as Framework | undefined,
    transaction: transaction as TransactionMode | undefined,
    dialect: dialect as Dialect | undefined,
    runner: runner as RunnerId | undefined,
  };
}

function expectType(value: unknown, type: 'string' | 'object' | 'array', fail: (problem: string) => never): void {
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  if (actual !== type) fail(`must be ${type === 'array' ? 'an array' : `a${type === 'object' ? 'n' : ''} ${type}`}`);
}

/** `[{ "name": "staging", "url": "postgres://app@staging-db/app" }]`: unique names, URLs without a password. */
function expectConnections(value: unknown, fail: (problem: string) => never): void {
  if (!Array.isArray(value)) fail('must be an array of { "name", "url" }');
  const names = new Set<string>();
  (value as unknown[]).forEach((entry, i) => {
    const { name, url, ...rest } = (entry ?? {}) as Record<string, unknown>;
    if (!entry || typeof entry !== 'object' || typeof name !== 'string' || typeof url !== 'string') fail(`[${i}] must be { "name": string, "url": string }`);
    if (Object.keys(rest).length > 0) fail(`[${i}]: unknown key "${shortName(Object.keys(rest)[0])}"`);
    if (names.has(name as string)) fail(`[${i}]: duplicate name "${shortName(name as string)}"`);
    names.add(name as string);
    let parsed: URL;
    try {
      parsed = new URL(url as string);
    } catch {
      return fail(`[${i}] "${shortName(name as string)}": url is not a URL (expected postgres://user@host:port/database)`);
    }
    if (!/^postgres(ql)?:$/.test(parsed.protocol)) fail(`[${i}] "${shortName(name as string)}": url must start with postgres:// or postgresql://`);
    // libpq also takes the password as a parameter (`?password=`): a committed config must not carry it either way.
    if (parsed.password || parsed.searchParams.has('password')) fail(`[${i}] "${shortName(name as string)}": url must not contain a password; use PGPASSWORD or ~/.pgpass`);
  });
}

function expectGlobs(value: unknown, fail: (problem: string) => never): void {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) fail('must be an array of strings');
  (value as string[]).forEach((pattern, i) => {
    const problem = globProblem(pattern);
    if (problem) fail(`[${i}] "${shortName(pattern)}" ${problem}`);
  });
}
