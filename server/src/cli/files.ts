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
  const found: string[] = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name)) found.push(...walkDirectory(full));
    } else if (entry.isFile() && languageOf(entry.name) && !/\.d\.[mc]?ts$/.test(entry.name)) {
      found.push(full);
    }
  }
  return found;
}
