import type { ResolvedConfig } from '../resolved-config';
import { compareMigrationNames, migrationDirectoryFor, migrationKey } from '../schema/directory';

export interface OpenMigration {
  uri: string;
  filePath: string;
}

/**
 * The open migrations whose schema is replayed from one of `changed`: in the same migration directory and later
 * in run order, as each open file's own config places them. Linear in open and changed files, since only the
 * earliest changed migration of each directory matters; a file whose config is invalid shows that error, not
 * findings, and depends on nothing.
 */
export function dependantsOf(
  changed: readonly string[],
  open: readonly OpenMigration[],
  configFor: (filePath: string) => ResolvedConfig,
): string[] {
  // Keyed by the config's file (or, without one, its root): where a config places migration directories
  // depends on nothing else, and a file without a config file gets a new default config on every call.
  const earliestByConfig = new Map<string, Map<string, string>>();
  const dependants: string[] = [];
  for (const { uri, filePath } of open) {
    let config: ResolvedConfig;
    try {
      config = configFor(filePath);
    } catch {
      continue;
    }
    const scope = config.file ?? config.rootDir;
    let earliest = earliestByConfig.get(scope);
    if (!earliest) {
      earliest = earliestChangedByDirectory(changed, config);
      earliestByConfig.set(scope, earliest);
    }
    const directory = migrationDirectoryFor(filePath, config);
    const first = earliest.get(directory);
    if (first !== undefined && compareMigrationNames(first, migrationKey(directory, filePath)) < 0)
      dependants.push(uri);
  }
  return dependants;
}

/** Migration directory → order key of the earliest of `changed` in it. */
function earliestChangedByDirectory(changed: readonly string[], config: ResolvedConfig): Map<string, string> {
  const earliest = new Map<string, string>();
  for (const file of changed) {
    const directory = migrationDirectoryFor(file, config);
    const key = migrationKey(directory, file);
    const known = earliest.get(directory);
    if (known === undefined || compareMigrationNames(key, known) < 0) earliest.set(directory, key);
  }
  return earliest;
}
