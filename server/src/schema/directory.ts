import * as fs from 'fs';
import * as path from 'path';
import { ResolvedConfig, isIgnored, migrationDirectoryOf } from '../resolved-config';
import { isMigrationSource, isSkippedFolder } from '../migration-files';

/**
 * Which files are the migrations of a directory, and in which order the runner applies them. Every runner
 * Preflight knows orders by file name (Sequelize, knex, node-pg-migrate, golang-migrate, dbmate), by the
 * timestamp or version at its start (TypeORM, Flyway), or by folder name (Prisma's `20240101_x/migration.sql`);
 * comparing names with their digit runs as numbers gives all of these. Files are never merged by a shared
 * version prefix: `0042_a.sql` and `0042_b.sql` are two migrations, in name order.
 */

/** File names that say nothing about their migration: the folder around them is the migration (Prisma, diesel). */
const GENERIC_NAMES = /^(migration|up)\.(sql|[cm]?[jt]s)$/i;

/** Files that undo a migration: `0001_x.down.sql`, `down.sql`, Flyway's `U1__x.sql`. */
const DOWN_FILE = /(^|[._-])down\.[a-z]+$|^U\d+([._]\d+)*__/i;

/** The directory whose migrations run before `filePath`: the configured one that holds it, else the file's own. */
export function migrationDirectoryFor(filePath: string, config: ResolvedConfig): string {
  const configured = migrationDirectoryOf(config, filePath);
  if (configured) return path.resolve(config.rootDir, configured.path);
  const dir = path.dirname(path.resolve(filePath));
  return GENERIC_NAMES.test(path.basename(filePath)) ? path.dirname(dir) : dir;
}

/** The order key of a file in its migration directory: its path below the directory, `/`-separated. */
export function migrationKey(directory: string, filePath: string): string {
  return path.relative(directory, path.resolve(filePath)).split(path.sep).join('/');
}

/**
 * The migrations of `directory`, in the order they run: files with a migration language, and folders holding
 * one migration each; down migrations, type declarations and ignored paths excluded.
 */
export function listMigrations(directory: string, config: ResolvedConfig): string[] {
  return orderedMigrations(directory, config).map((entry) => entry.file);
}

/**
 * The migrations of `directory` that run before `filePath` (which need not exist yet), in order. Pass `listings`
 * to list and order each directory once for many files (a CLI run); without it the directory is read again.
 */
export function migrationsBefore(
  directory: string,
  config: ResolvedConfig,
  filePath: string,
  listings?: MigrationListings,
): string[] {
  const ordered = listings ? listings.ordered(directory, config) : orderedMigrations(directory, config);
  // `ordered` is sorted by the same total order, so the migrations before the target are a prefix of it.
  const target = nameParts(migrationKey(directory, filePath));
  let low = 0;
  let high = ordered.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareParts(ordered[middle].parts, target) < 0) low = middle + 1;
    else high = middle;
  }
  return ordered.slice(0, low).map((entry) => entry.file);
}

interface OrderedMigration {
  file: string;
  parts: NameParts;
}

/**
 * Each migration directory listed and ordered once, for work during which no migration is added or removed (one
 * CLI run). Linting every file of a 700-migration directory otherwise lists and sorts it 700 times.
 */
export class MigrationListings {
  private readonly listed = new Map<string, readonly OrderedMigration[]>();

  ordered(directory: string, config: ResolvedConfig): readonly OrderedMigration[] {
    // Config decides only which files are ignored (`ignore` globs, relative to its root). Files without a config file
    // each get a default config of their own, rooted at their folder, which ignores nothing.
    const key = [directory, ...(config.ignore.length > 0 ? [config.rootDir, ...config.ignore] : [])].join('\0');
    let ordered = this.listed.get(key);
    if (!ordered) this.listed.set(key, (ordered = orderedMigrations(directory, config)));
    return ordered;
  }
}

function orderedMigrations(directory: string, config: ResolvedConfig): OrderedMigration[] {
  const files: string[] = [];
  // Entries with a migration's name that are not folders count whatever they are (symlinks, FIFOs, devices):
  // replay reads only regular files and records any other as skipped with the reason, never leaving it out unsaid.
  for (const entry of readEntries(directory) ?? []) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (isSkippedFolder(entry.name)) continue;
      const inner = readEntries(full);
      // A migration folder that cannot be listed stays in the order as itself: replaying it records why.
      if (!inner) files.push(full);
      else
        files.push(
          ...inner.filter((e) => !e.isDirectory() && isMigrationFile(e.name)).map((e) => path.join(full, e.name)),
        );
    } else if (isMigrationFile(entry.name)) {
      files.push(full);
    }
  }
  return files
    .filter((file) => !isIgnored(config, file))
    .map((file) => ({ file, parts: nameParts(migrationKey(directory, file)) }))
    .sort((a, b) => compareParts(a.parts, b.parts));
}

/** A folder's entries, or undefined when it cannot be listed (no permission, gone). */
function readEntries(directory: string): fs.Dirent[] | undefined {
  try {
    return fs.readdirSync(directory, { withFileTypes: true });
  } catch {
    return undefined;
  }
}

function isMigrationFile(name: string): boolean {
  return isMigrationSource(name) && !isDownMigrationFile(name);
}

/** Whether a file name is that of a file undoing a migration (`0001_x.down.sql`, diesel's `down.sql`, Flyway's `U1__x.sql`). */
export function isDownMigrationFile(name: string): boolean {
  return DOWN_FILE.test(name);
}

/** Name order with digit runs compared as numbers: `V2__a` before `V10__b`, `9_x` before `10_x`. */
export function compareMigrationNames(a: string, b: string): number {
  return compareParts(nameParts(a), nameParts(b));
}

interface NameParts {
  name: string;
  parts: string[];
}

function nameParts(name: string): NameParts {
  return { name, parts: name.match(/\d+|\D+/g) ?? [] };
}

function compareParts({ name: a, parts: partsA }: NameParts, { name: b, parts: partsB }: NameParts): number {
  for (let i = 0; i < Math.min(partsA.length, partsB.length); i++) {
    const x = partsA[i];
    const y = partsB[i];
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const nx = x.replace(/^0+(?=\d)/, '');
      const ny = y.replace(/^0+(?=\d)/, '');
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
      // Equal numbers written differently (`01` / `1`): fall back to the text, so the order stays total.
    }
    return x < y ? -1 : 1;
  }
  return partsA.length - partsB.length || (a < b ? -1 : a > b ? 1 : 0);
}

export interface MigrationHistory {
  /** The migration directory whose state is replayed (the replay cache's key). */
  directory: string;
  /** Its migrations that run before the file, in order. */
  migrations: string[];
}

/**
 * The migrations that have run when `filePath` runs. A migration follows the ones before it in its directory.
 * With migration directories configured, a file outside them (a remediation script, application code with
 * SQL in it) runs against the fully migrated database: every migration of the first configured directory.
 * Linting and dry-runs both ask here, so they see the same history.
 */
export function historyOf(filePath: string, config: ResolvedConfig, listings?: MigrationListings): MigrationHistory {
  if (config.migrations.length > 0 && !migrationDirectoryOf(config, filePath)) {
    const directory = path.resolve(config.rootDir, config.migrations[0].path);
    const ordered = listings ? listings.ordered(directory, config) : orderedMigrations(directory, config);
    return { directory, migrations: ordered.map((entry) => entry.file) };
  }
  const directory = migrationDirectoryFor(filePath, config);
  return { directory, migrations: migrationsBefore(directory, config, filePath, listings) };
}
