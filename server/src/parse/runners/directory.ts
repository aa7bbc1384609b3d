import * as path from 'path';
import { projectDependencies } from './dependencies';
import { cachedFileReader, listing } from './folders';
import type { DirectoryEvidence, MigrationRunner } from './runner';

/**
 * Which runner a .sql migration belongs to by the files around it, for runners whose files carry no annotation:
 * Prisma's `migration_lock.toml`, Drizzle Kit's `meta/_journal.json`, Diesel's `up.sql`/`down.sql` folders (and their
 * `metadata.toml`), the Supabase CLI's `supabase/migrations` folder, Flyway's `V1__x.sql` names (and their
 * `.sql.conf`); failing those, the one runner among `runners` that runs files without annotations (sqlx, Atlas,
 * Graphile Migrate, golang-migrate for its `.up.sql` names) that the project depends on (`go.mod`, `package.json`,
 * `Cargo.toml`). Folder listings and files are kept until they change (`folders.ts`).
 */
export function evidenceAround(filePath: string, runners: readonly MigrationRunner[]): DirectoryEvidence | undefined {
  const file = path.resolve(filePath);
  const name = path.basename(file);
  const folder = path.dirname(file);
  const names = listing(folder);
  if (!names) return undefined;
  const where = (dir: string) =>
    path
      .relative(path.dirname(path.dirname(dir)), dir)
      .split(path.sep)
      .join('/');

  const migrations = path.dirname(folder);
  if (name === 'migration.sql' && listing(migrations)?.has('migration_lock.toml')) {
    return { runner: 'prisma', evidence: `migration_lock.toml in ${where(migrations)}` };
  }
  if (
    (name === 'up.sql' || name === 'down.sql') &&
    ((names.has('up.sql') && names.has('down.sql')) || names.has('metadata.toml'))
  ) {
    const metadata = path.join(folder, 'metadata.toml');
    const inTransaction = names.has('metadata.toml') ? dieselRunInTransaction(metadata) : undefined;
    return {
      runner: 'diesel',
      evidence: `${names.has('metadata.toml') ? 'metadata.toml' : 'up.sql and down.sql'} in ${where(folder)} (Diesel's migration folders)`,
      ...(inTransaction !== undefined && { transactionSetting: { file: metadata, inTransaction } }),
    };
  }
  if (names.has('meta') && listing(path.join(folder, 'meta'))?.has('_journal.json')) {
    return { runner: 'drizzle', evidence: `meta/_journal.json in ${where(folder)}` };
  }
  if (/^\d+_.*\.sql$/i.test(name) && where(folder) === 'supabase/migrations') {
    return { runner: 'supabase', evidence: "supabase/migrations (the Supabase CLI's migrations folder)" };
  }
  if (FLYWAY_NAME.test(name)) {
    const conf = path.join(folder, `${name}.conf`);
    const inTransaction = names.has(`${name}.conf`) ? flywayExecuteInTransaction(conf) : undefined;
    return {
      runner: 'flyway',
      evidence: "Flyway's V<version>__ / U<version>__ / R__ naming",
      ...(inTransaction !== undefined && { transactionSetting: { file: conf, inTransaction } }),
    };
  }
  return dependencyEvidence(folder, name, runners);
}

/** Flyway's default prefixes: versioned `V1__`, `V1.2__`, `V1_2__`; undo `U1__`; repeatable `R__`. */
const FLYWAY_NAME = /^([VU]\d+([._]\d+)*|R)__.+\.sql$/;

const flywayExecuteInTransaction = cachedFileReader((text) =>
  booleanSetting(text, /^\s*executeInTransaction\s*=\s*(true|false)\b/m),
);
const dieselRunInTransaction = cachedFileReader((text) =>
  booleanSetting(text, /^\s*run_in_transaction\s*=\s*(true|false)\b/m),
);

function booleanSetting(text: string, pattern: RegExp): boolean | undefined {
  const match = pattern.exec(text);
  return match ? match[1] === 'true' : undefined;
}

/**
 * A file the project's one dependency on such a runner makes that runner's: only runners that run a file without
 * annotations their own way (a goose or dbmate file without its markers is not a migration of theirs), and a
 * runner with a naming scheme only for files so named. Two such runners (a Go project with both golang-migrate and
 * Atlas) decide nothing.
 */
function dependencyEvidence(
  folder: string,
  name: string,
  runners: readonly MigrationRunner[],
): DirectoryEvidence | undefined {
  const eligible = projectDependencies(folder, runners).filter((dependency) => {
    const runner = runners.find((candidate) => candidate.id === dependency.runner);
    return runner?.recognisedByDependency && (runner.recogniseName?.(name) ?? true);
  });
  if (new Set(eligible.map((dependency) => dependency.runner)).size !== 1) return undefined;
  const [dependency] = eligible;
  return {
    runner: dependency.runner,
    evidence: `${path.relative(folder, dependency.manifest).split(path.sep).join('/')} depends on ${dependency.name}`,
  };
}
