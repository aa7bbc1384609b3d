import * as path from 'path';
import { pathGlobMatcher } from './glob';
import type { Dialect } from './parse/dialect';
import type { Framework } from './parse/host-types';
import type { RunnerId } from './parse/runners';
import type { TransactionMode } from './parse/transactions';

/*
 * The config as the engine sees it, once config.ts has found, validated and resolved it, and the questions
 * the engine asks of it. Loading sits above the rule registry (it validates against every rule's metadata);
 * what is loaded sits below schema, facts, rules, dry-run and format, which all read it.
 */

/** How much a finding matters; `off` (config only) silences a rule. */
export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/**
 * `.preflightrc.json` (or a `preflight` key in package.json), found by walking up from the linted file.
 * The CLI and the language server both load config here, so an editor finding and a CI finding agree.
 */
export interface ResolvedConfig {
  /** The config file, or undefined when none was found (defaults only). */
  file?: string;
  /** Paths in config are relative to this directory. */
  rootDir: string;
  rules: ReadonlyMap<string, RuleSetting>;
  /** Audit table patterns (`schema.table` globs, `!` to exclude), evaluated after the defaults. */
  auditTables: string[];
  migrations: MigrationDirectory[];
  pgVersion: number;
  /** Path globs relative to rootDir that are never linted. */
  ignore: string[];
  /** Named databases (`--database-url NAME`, dry-run targets). URLs never carry a password (PGPASSWORD, ~/.pgpass). */
  connections: DatabaseConnection[];
  /** The connection used when a command is not told which. */
  defaultConnection?: string;
  /** Absolute path of a `pg_dump --schema-only` file replayed before the migrations (a squashed baseline). */
  schemaFile?: string;
  /** How `preflight format` and the language server format SQL (`.sql` files, SQL in TS/JS template literals). */
  format: FormatSettings;
  /**
   * Deployment variants (`"variants": { "central": { "serverType": "central" } }`), in config order: each decides
   * the conditions of migration code that compare one of its names with a literal (schema/variants.ts). Empty:
   * every condition is undecided, and an object created under one exists on some servers only.
   */
  variants: DeploymentVariant[];
}

export interface DeploymentVariant {
  name: string;
  /** Values by `variantKey` of their name (`serverType`, `SERVER_TYPE` and `server_type` are one key), as text. */
  values: ReadonlyMap<string, string>;
}

export interface FormatSettings {
  keywordCase: 'upper' | 'lower' | 'preserve';
  /** Spaces per indentation level. */
  indent: number;
  /** Parenthesised expressions up to this many characters stay on one line. */
  lineWidth: number;
}

export interface DatabaseConnection {
  name: string;
  url: string;
}

export interface RuleSetting {
  severity: SeveritySetting;
  options: Record<string, unknown>;
  /** Set in config: then it wins over a severity a rule raises or lowers for one finding. */
  explicit: boolean;
}

export interface MigrationDirectory {
  /** Directory, relative to rootDir. */
  path: string;
  framework?: Framework;
  transaction?: TransactionMode;
  /** The database its migrations run on; absent means PostgreSQL. */
  dialect?: Dialect;
  /** The runner of its .sql files; absent means recognised from each file's annotations (parse/runners). */
  runner?: RunnerId;
}

/** The migration directory entry that contains `filePath`, if any (the most specific one). */
export function migrationDirectoryOf(config: ResolvedConfig, filePath: string): MigrationDirectory | undefined {
  const dir = path.dirname(path.resolve(filePath));
  return config.migrations
    .filter((entry) => {
      const root = path.resolve(config.rootDir, entry.path);
      return dir === root || dir.startsWith(root + path.sep);
    })
    .sort((a, b) => b.path.length - a.path.length)[0];
}

const ignoreMatchers = new WeakMap<ResolvedConfig, ((relativePath: string) => boolean)[]>();

/** Whether `filePath` matches an `ignore` glob of the config. */
export function isIgnored(config: ResolvedConfig, filePath: string): boolean {
  if (config.ignore.length === 0) return false;
  let matchers = ignoreMatchers.get(config);
  if (!matchers) ignoreMatchers.set(config, (matchers = config.ignore.map(pathGlobMatcher)));
  const relative = path.relative(config.rootDir, path.resolve(filePath)).split(path.sep).join('/');
  return matchers.some((matches) => matches(relative));
}

/** The database `filePath`'s migrations run on: its migration directory's `dialect`, PostgreSQL by default. */
export function dialectOf(config: ResolvedConfig, filePath: string): Dialect {
  return migrationDirectoryOf(config, filePath)?.dialect ?? 'postgresql';
}
