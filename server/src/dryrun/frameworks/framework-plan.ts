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
 * The package a framework's migrations run through, resolved from the project: MikroORM's is its PostgreSQL driver
 * package, which brings @mikro-orm/core and the MikroORM class that connects (a migration imports its `Migration`
 * from @mikro-orm/migrations, which the runner takes from where the migration resolves it).
 */
const FRAMEWORK_PACKAGES: Record<RunnableFramework, string> = {
  knex: 'knex',
  sequelize: 'sequelize',
  typeorm: 'typeorm',
  'mikro-orm': '@mikro-orm/postgresql',
  'node-pg-migrate': 'node-pg-migrate',
  'db-migrate': 'db-migrate',
  kysely: 'kysely',
};

function isRunnable(framework: string | undefined): framework is RunnableFramework {
  return framework !== undefined && Object.hasOwn(FRAMEWORK_PACKAGES, framework);
}

/**
 * The framework a TS/JS migration or seed file runs through: a Knex, Sequelize, TypeORM, MikroORM, node-pg-migrate,
 * db-migrate or Kysely migration (or Knex seed, Sequelize seeder) as the project's own copy of the framework runs it,
 * or why it cannot (not installed). Undefined for a file of no runnable framework (SQL, a plain script, ...). The
 * SQL parser must be loaded (`frameworkOf` does it).
 */
export function frameworkOfLoaded(
  file: string,
  text: string,
  config: ResolvedConfig,
): InstalledFramework | MissingFramework | undefined {
  if (!SCRIPT_EXTENSIONS.test(file) || dialectOf(config, file) !== 'postgresql') return undefined;
  const { host } = parseMigration(file, text, {});
  const framework = host && isKyselyMigration(host) ? 'kysely' : host?.framework;
  if (!isRunnable(framework)) return undefined;
  return installedFramework(framework, path.dirname(path.resolve(file)));
}

/**
 * A Kysely migration (`export async function up(db: Kysely<any>)`) is a file with `up`/`down` of no known framework
 * to the lint, which judges it as such (in a transaction, as Kysely's Migrator runs it on PostgreSQL); its import of
 * kysely says which framework runs it.
 */
function isKyselyMigration(host: HostExtraction): boolean {
  const migration = host.framework === 'script' && host.sections.some((section) => section.name === 'up');
  return migration && importedModulesOf(host).includes('kysely');
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
 * pins, never a copy bundled with Preflight. The framework needs `pg`, resolved from where `driverDirectory` says.
 */
function installedFramework(framework: RunnableFramework, directory: string): InstalledFramework | MissingFramework {
  const fromProject = createRequire(path.join(directory, 'preflight-resolve.js'));
  const packageName = FRAMEWORK_PACKAGES[framework];
  const manifest = packageManifest(fromProject, packageName);
  if (!manifest) {
    return {
      missing: `${framework} is not installed for ${path.basename(directory)}/ (no node_modules/${packageName} up from it): dry-run sent the SQL it can see in the file, its ${framework} calls were skipped`,
    };
  }
  let driverDir: string;
  try {
    driverDir = driverDirectory(framework, path.dirname(manifest), fromProject, directory);
    createRequire(path.join(driverDir, 'package.json')).resolve('pg');
  } catch {
    const driver = framework === 'db-migrate' ? 'db-migrate-pg (and pg)' : 'pg';
    return {
      missing: `${driver}, the driver ${framework} loads, is not installed beside ${packageName}: dry-run sent the SQL it can see in the file, its ${framework} calls were skipped`,
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
function driverDirectory(
  framework: RunnableFramework,
  packageDir: string,
  fromProject: NodeJS.Require,
  projectDirectory: string,
): string {
  if (framework === 'kysely') return projectDirectory;
  if (framework !== 'db-migrate') return packageDir;
  const manifest = packageManifest(fromProject, 'db-migrate-pg');
  if (!manifest) throw new Error('db-migrate-pg is not installed');
  return path.dirname(manifest);
}

/**
 * The package's package.json in the first node_modules up from the project that has it, as Node looks a package up;
 * not `resolve('<name>/package.json')`, which a package whose `exports` leaves its package.json out (TypeORM, Kysely) refuses.
 */
function packageManifest(fromProject: NodeJS.Require, packageName: string): string | undefined {
  return (fromProject.resolve.paths(packageName) ?? [])
    .map((nodeModules) => path.join(nodeModules, packageName, 'package.json'))
    .find((manifest) => fs.existsSync(manifest));
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
