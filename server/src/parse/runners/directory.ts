import * as fs from 'fs';
import * as path from 'path';
import { readUserText } from '../../source-files';
import type { DirectoryEvidence } from './runner';

/**
 * Which runner a .sql migration belongs to by the files around it, for runners whose files carry no annotation:
 * Prisma's `migration_lock.toml`, Drizzle Kit's `meta/_journal.json`, Diesel's `up.sql`/`down.sql` folders (and their
 * `metadata.toml`), the Supabase CLI's `supabase/migrations` folder, Flyway's `V1__x.sql` names (and their
 * `.sql.conf`). The language server asks on every keystroke, so each folder's listing and each settings file are
 * read once and kept until their modification time changes: a lint costs a `stat` per folder looked at.
 */
export function directoryEvidence(filePath: string): DirectoryEvidence | undefined {
  const file = path.resolve(filePath);
  const name = path.basename(file);
  const folder = path.dirname(file);
  const names = listing(folder);
  if (!names) return undefined;
  const where = (dir: string) => path.relative(path.dirname(path.dirname(dir)), dir).split(path.sep).join('/');

  const migrations = path.dirname(folder);
  if (name === 'migration.sql' && listing(migrations)?.has('migration_lock.toml')) {
    return { runner: 'prisma', evidence: `migration_lock.toml in ${where(migrations)}` };
  }
  if ((name === 'up.sql' || name === 'down.sql') && ((names.has('up.sql') && names.has('down.sql')) || names.has('metadata.toml'))) {
    const metadata = names.has('metadata.toml') ? setting(path.join(folder, 'metadata.toml'), /^\s*run_in_transaction\s*=\s*(true|false)\b/m) : undefined;
    return {
      runner: 'diesel',
      evidence: `${names.has('metadata.toml') ? 'metadata.toml' : 'up.sql and down.sql'} in ${where(folder)} (Diesel's migration folders)`,
      ...(metadata !== undefined && { transactionSetting: { file: path.join(folder, 'metadata.toml'), inTransaction: metadata } }),
    };
  }
  if (names.has('meta') && listing(path.join(folder, 'meta'))?.has('_journal.json')) {
    return { runner: 'drizzle', evidence: `meta/_journal.json in ${where(folder)}` };
  }
  if (/^\d+_.*\.sql$/i.test(name) && where(folder) === 'supabase/migrations') {
    return { runner: 'supabase', evidence: 'supabase/migrations (the Supabase CLI\'s migrations folder)' };
  }
  if (FLYWAY_NAME.test(name)) {
    const conf = `${name}.conf`;
    const inTransaction = names.has(conf) ? setting(path.join(folder, conf), /^\s*executeInTransaction\s*=\s*(true|false)\b/m) : undefined;
    return {
      runner: 'flyway',
      evidence: "Flyway's V<version>__ / U<version>__ / R__ naming",
      ...(inTransaction !== undefined && { transactionSetting: { file: path.join(folder, conf), inTransaction } }),
    };
  }
  return undefined;
}

/** Flyway's default prefixes: versioned `V1__`, `V1.2__`, `V1_2__`; undo `U1__`; repeatable `R__`. */
const FLYWAY_NAME = /^([VU]\d+([._]\d+)*|R)__.+\.sql$/;

const listings = new Map<string, { modified: number; names: Set<string> } | undefined>();
const settings = new Map<string, { modified: number; value: boolean | undefined }>();

/** The entry names of a folder, read again only when its modification time changed; undefined if it is not one. */
function listing(folder: string): Set<string> | undefined {
  const stat = statOf(folder);
  if (!stat?.isDirectory()) return undefined;
  const known = listings.get(folder);
  if (known && known.modified === stat.mtimeMs) return known.names;
  let names: Set<string>;
  try {
    names = new Set(fs.readdirSync(folder));
  } catch {
    return undefined;
  }
  listings.set(folder, { modified: stat.mtimeMs, names });
  return names;
}

/** A `true`/`false` setting of a small settings file, read again only when the file changed. */
function setting(file: string, pattern: RegExp): boolean | undefined {
  const stat = statOf(file);
  if (!stat) return undefined;
  const known = settings.get(file);
  if (known && known.modified === stat.mtimeMs) return known.value;
  const read = readUserText(file, 64 * 1024);
  const match = 'text' in read ? pattern.exec(read.text) : null;
  const value = match ? match[1] === 'true' : undefined;
  settings.set(file, { modified: stat.mtimeMs, value });
  return value;
}

function statOf(entry: string): fs.Stats | undefined {
  try {
    return fs.statSync(entry, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
