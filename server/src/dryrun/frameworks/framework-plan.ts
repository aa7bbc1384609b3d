import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';
import { dialectOf, migrationDirectoryOf, type ResolvedConfig } from '../../resolved-config';
import { hostTransactionMode, parseMigration } from '../../parse/migration';
import type { TransactionMode } from '../../parse/transactions';
import { loadSqlParser } from '../../parse/sql';
import type { HostExtraction } from '../../parse/host-types';
import type { FrameworkJob, RunnableFramework } from './job';

/** The project's own copy of a framework, which a migration of it runs through. */
export interface InstalledFramework {
  framework: RunnableFramework;
  /** Its package directory, found from the migration's directory as Node finds it (node_modules upwards). */
  packageDir: string;
  /** Where the `pg` it sends its queries through resolves from (`driverDirectory`). */
  driverDir: string;
  version: string;
}

/** A migration of a framework the project does not have installed: said in one line of the report. */
export interface MissingFramework {
  missing: string;
}

export const SCRIPT_EXTENSIONS = /\.(js|cjs|mjs|ts|cts|mts)$/;

/**
 * The framework a TS/JS migration or seed file runs through: a Knex or Sequelize migration (or Sequelize seeder)
 * as the project's own copy of the framework runs it, or why it cannot (not installed). Undefined for a file of no
 * runnable framework (SQL, a plain script, TypeORM, ...). The SQL parser must be loaded (`frameworkOf` does it).
 */
export function frameworkOfLoaded(
  file: string,
  text: string,
  config: ResolvedConfig,
): InstalledFramework | MissingFramework | undefined {
  if (!SCRIPT_EXTENSIONS.test(file) || dialectOf(config, file) !== 'postgresql') return undefined;
  const { host } = parseMigration(file, text, {});
  const framework = host && runnableFramework(host);
  if (!framework) return undefined;
  return installedFramework(framework, path.dirname(path.resolve(file)));
}

const RUNNABLE_FRAMEWORKS = new Set<string>(['knex', 'sequelize', 'node-pg-migrate', 'db-migrate']);

/**
 * A Kysely migration (`export async function up(db: Kysely<any>)`) is a plain script with `up`/`down` to the lint,
 * which judges it as such (in a transaction, as Kysely's Migrator runs it on PostgreSQL); its import of kysely says
 * which framework runs it.
 */
function runnableFramework(host: HostExtraction): RunnableFramework | undefined {
  if (RUNNABLE_FRAMEWORKS.has(host.framework)) return host.framework as RunnableFramework;
  const kysely = host.framework === 'script' && host.sections.some((section) => section.name === 'up');
  return kysely && importedModulesOf(host).includes('kysely') ? 'kysely' : undefined;
}

/** Required here, not imported: parse/host-syntax brings the TypeScript compiler, which a .sql dry-run never loads. */
function importedModulesOf(host: HostExtraction): readonly string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../../parse/host-syntax') as typeof import('../../parse/host-syntax')).importedModules(host.source);
}

export async function frameworkOf(
  file: string,
  text: string,
  config: ResolvedConfig,
): Promise<InstalledFramework | MissingFramework | undefined> {
  if (!SCRIPT_EXTENSIONS.test(file)) return undefined;
  await loadSqlParser();
  return frameworkOfLoaded(file, text, config);
}

/**
 * Resolved the way the project's own code resolves it, from the migration's directory: the version the project
 * pins, never a copy bundled with Preflight. The framework needs `pg`, which it loads from its own directory.
 */
function installedFramework(framework: RunnableFramework, directory: string): InstalledFramework | MissingFramework {
  const manifest = packageManifest(framework, directory);
  if (!manifest) {
    return {
      missing: `${framework} is not installed for ${path.basename(directory)}/ (no node_modules/${framework} up from it): dry-run sent the SQL it can see in the file, its ${framework} calls were skipped`,
    };
  }
  let driverDir: string;
  try {
    driverDir = driverDirectory(framework, path.dirname(manifest), directory);
    createRequire(path.join(driverDir, 'package.json')).resolve('pg');
  } catch {
    const driver = framework === 'db-migrate' ? 'db-migrate-pg (and pg)' : 'pg';
    return {
      missing: `${driver}, the driver ${framework} loads, is not installed beside ${framework}: dry-run sent the SQL it can see in the file, its ${framework} calls were skipped`,
    };
  }
  const version = String((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: unknown }).version ?? '');
  return { framework, packageDir: path.dirname(manifest), driverDir, version };
}

/**
 * Where the `pg` a framework sends its queries through resolves from: the framework's own package for most;
 * db-migrate's PostgreSQL driver package (db-migrate-pg), which db-migrate loads from the project; the project itself
 * for Kysely, whose PostgresDialect takes the pool the project makes with its own pg.
 */
function driverDirectory(framework: RunnableFramework, packageDir: string, projectDirectory: string): string {
  if (framework === 'kysely') return projectDirectory;
  if (framework !== 'db-migrate') return packageDir;
  const manifest = packageManifest('db-migrate-pg', projectDirectory);
  if (!manifest) throw new Error('db-migrate-pg is not installed');
  return path.dirname(manifest);
}

/**
 * The package.json of the package NAME that `require(NAME)` from DIRECTORY loads, found in the node_modules folders
 * Node searches: not by resolving `NAME/package.json`, which a package's `exports` may not export (Kysely's does not).
 */
function packageManifest(name: string, directory: string): string | undefined {
  const searched = createRequire(path.join(directory, 'preflight-resolve.js')).resolve.paths(name) ?? [];
  return searched.map((folder) => path.join(folder, name, 'package.json')).find((manifest) => fs.existsSync(manifest));
}

/** The compiled runner: beside this module, or beside the bundle (scripts/bundle.js). */
export function frameworkRunnerScript(): string {
  return path.join(__dirname, 'framework-runner.js');
}

/**
 * The runner's job: run MIGRATION (its text as the framework will load it) through INSTALLED, in a transaction exactly
 * where the lint says it runs in one.
 */
export function frameworkJob(
  migration: { path: string; text: string },
  config: ResolvedConfig,
  installed: InstalledFramework,
  work: string,
): FrameworkJob {
  return {
    framework: installed.framework,
    packageDir: installed.packageDir,
    driverDir: installed.driverDir,
    files: [{ path: path.resolve(migration.path), transaction: transactionModeOf(migration, config) }],
    resultsFile: path.join(work, 'results.json'),
  };
}

/**
 * The lint's decision (`hostTransactionMode`: the file's own switch, the config, the framework's default), read from
 * the parse `frameworkOfLoaded` made of the same text, so a Sequelize migration runs in the transaction its lint
 * assumes (CONCURRENTLY fails there with 25001, as ban-concurrent-index-creation-in-transaction says).
 */
function transactionModeOf(migration: { path: string; text: string }, config: ResolvedConfig): TransactionMode {
  const { host } = parseMigration(migration.path, migration.text, {});
  const configured = migrationDirectoryOf(config, migration.path)?.transaction;
  return host ? hostTransactionMode(host, configured) : (configured ?? 'none');
}
