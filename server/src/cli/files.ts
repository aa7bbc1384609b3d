import * as fs from 'fs';
import * as path from 'path';
import { languageOf } from '../parse/migration';
import { UsageError } from './usage';

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'out', 'dist', 'build', 'coverage']);

/**
 * The migration files named by command-line paths: files as given, directories recursively (SQL and
 * TS/JS files, skipping dependencies, build output, hidden folders and type declarations), sorted so
 * that migrations come out in the order they run.
 */
export function collectFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch {
      throw new UsageError(`${given}: no such file or directory`);
    }
    if (stat.isDirectory()) files.push(...walkDirectory(given));
    else files.push(given);
  }
  return files;
}

function walkDirectory(dir: string): string[] {
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
      if (!entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name)) found.push(...walkDirectory(full));
    } else if (languageOf(entry.name) && !/\.d\.[mc]?ts$/.test(entry.name)) {
      // Symlinks, FIFOs and devices with a migration's name too: reading follows a symlink and reports anything
      // that is not then a regular file, instead of leaving a migration out of the run without a word.
      found.push(full);
    }
  }
  return found;
}
