import * as fs from 'fs';
import * as path from 'path';
import { languageOf } from './parse/migration';

/*
 * Which files of a folder are migrations. The CLI (paths given on the command line), the language server
 * (Lint Workspace) and schema replay (the migrations before a file) all look for them the same way.
 */

const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'out', 'dist', 'build', 'coverage']);

/** Dependencies, build output and hidden folders hold no migrations of the project. */
export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name);
}

/** A SQL or TS/JS file, but not a type declaration. */
export function isMigrationSource(name: string): boolean {
  return languageOf(name) !== undefined && !/\.d\.[mc]?ts$/.test(name);
}

/** The migration sources below `dir`, recursively, sorted by name within each folder. */
export function migrationFilesIn(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    // A folder that cannot be listed (no permission) stays in the run as an entry of its own: reading it fails
    // with the reason, reported on it, and the other files are still linted.
    return [dir];
  }
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!isSkippedFolder(entry.name)) found.push(...migrationFilesIn(full));
    } else if (isMigrationSource(entry.name)) {
      // Symlinks, FIFOs and devices with a migration's name too: reading follows a symlink and reports anything
      // that is not then a regular file, instead of leaving a migration out of the run without a word.
      found.push(full);
    }
  }
  return found;
}
