import * as path from 'path';
import { ResolvedConfig, migrationDirectoryOf } from '../resolved-config';
import type { MigrationFile } from '../parse/migration';

/**
 * What a file is for. A migration runs once per database, recorded by its runner, and may have a `down`. A
 * script (a seed, a demo-data reset, a one-off remediation, a data fix) is run by hand or by a job, possibly
 * again: a TRUNCATE is its job, and re-running it must be harmless.
 */
export type FileRole = 'migration' | 'script';

/** Folder names of scripts run by hand or by a job, not by a migration runner. */
const SCRIPT_FOLDERS =
  /^(scripts?|seeds?|seeders?|seeding|fixtures|remediations?|one-?offs?|oneoffs?|data-?fix(es)?|fixes|hotfix(es)?|backfills?|jobs|tasks|bin|tools)$/i;
/** Folder names of migrations. */
const MIGRATION_FOLDERS = /^(migrations?|migrate|db-?migrations?|schema-?migrations?|changesets?|changelogs?)$/i;
/** File names of one-off scripts wherever they are. */
const SCRIPT_NAMES = /(^|[-_.])(remediation|remediate|one-?off|oneoff|data-?fix|hotfix|backfill|seed|reset)([-_.]|$)/i;

/**
 * A migration when the file has `up`/`down`. Otherwise the innermost conventionally named folder decides
 * (`migrations/`, or `scripts/`, `seeds/`, `remediation/`...) — inside a configured migrations directory only
 * folders below it count, and without one the directory itself is a migration; otherwise a script when it is
 * named like one (`reset-demo.sql`, `backfill_visits.ts`) or is TS/JS that no migration framework wrote. A
 * `.sql` file that says neither is a migration: most `.sql` files linted are.
 */
export function fileRole(file: MigrationFile, config: ResolvedConfig): FileRole {
  if (file.host && file.host.sections.length > 0) return 'migration';
  const configured = migrationDirectoryOf(config, file.path);
  const directory = path.dirname(path.resolve(file.path));
  const root = configured ? path.resolve(config.rootDir, configured.path) : undefined;
  // The innermost folder decides: folders above the project root are as telling as those below it.
  const folders = (root ? path.relative(root, directory) : directory).split(path.sep);
  const innermost = [...folders]
    .reverse()
    .find((folder) => SCRIPT_FOLDERS.test(folder) || MIGRATION_FOLDERS.test(folder));
  if (innermost) return SCRIPT_FOLDERS.test(innermost) ? 'script' : 'migration';
  if (configured) return 'migration';
  if (SCRIPT_NAMES.test(path.basename(file.path, path.extname(file.path)))) return 'script';
  if (file.host) return file.host.framework === 'script' ? 'script' : 'migration';
  return 'migration';
}
