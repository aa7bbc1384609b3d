import * as fs from 'fs';
import { migrationFilesIn } from '../migration-files';
import { UsageError } from './usage';

/**
 * The migration files named by command-line paths: files as given, directories recursively
 * (`migrationFilesIn`), sorted so that migrations come out in the order they run.
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
    if (stat.isDirectory()) files.push(...migrationFilesIn(given));
    else files.push(given);
  }
  return files;
}
