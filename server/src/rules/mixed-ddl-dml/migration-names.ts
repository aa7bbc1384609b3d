/**
 * Names for new migrations next to an existing one, in the directory's own convention, that run right
 * after it: migration tools order by the version prefix, so the new versions must sort after this file
 * and before the next existing migration. Applied migrations are never renamed; when no version fits,
 * the caller is told why instead.
 *
 * Conventions: a sequence number (`0007_add_note.sql`, golang-migrate `000007_x.up.sql`), a
 * `YYYYMMDDHHMMSS` timestamp (Rails-style, knex `20240101120000_x.js`, Sequelize `20240101120000-x.js`,
 * dbmate), a millisecond epoch (node-pg-migrate `1700000000000_x.js`, TypeORM `1700000000000-X.ts`),
 * Flyway's `V7__x.sql` / `V7_1__x.sql`, and Prisma's directory per migration (`20240101120000_x/migration.sql`).
 */
export interface MigrationName {
  /** The version as written: `0007`, `20240101120000`, `7_1`. */
  version: string;
  label: string;
  format(version: string, label: string): string;
  /**
   * `count` versions after this one that all sort before `next`, or undefined when they do not fit.
   * `byName`: the runner orders files by name, so a sequence number with no free number before the next
   * migration takes letters instead (`0003a`, `0003b` sort between `0003_` and `0004_`).
   */
  following(count: number, next: string | undefined, byName?: boolean): string[] | undefined;
  /** The version of a sibling name written in the same convention. */
  versionOf(name: string): string | undefined;
  compare(a: string, b: string): number;
}

const PREFIXED = /^(\d+)([_-])(.+?)((?:\.(?:up|down))?\.[A-Za-z]+)?$/;
const FLYWAY = /^V(\d+(?:[._]\d+)*)__(.+?)(\.sql)$/;

export function parseMigrationName(name: string): MigrationName | undefined {
  const flyway = FLYWAY.exec(name);
  if (flyway) return flywayName(flyway[1], flyway[2], flyway[3]);
  const prefixed = PREFIXED.exec(name);
  if (prefixed) return prefixedName(prefixed[1], prefixed[2], prefixed[3], prefixed[4] ?? '');
  return undefined;
}

/** The label of a new part of a split migration: `add_note_data`, `add-note-schema`, unique within `taken`. */
export function partLabel(label: string, kind: 'data' | 'schema', taken: Set<string>): string {
  const separator = label.includes('_') || !label.includes('-') ? '_' : '-';
  let candidate = `${label}${separator}${kind}`;
  for (let n = 2; taken.has(candidate); n++) candidate = `${label}${separator}${kind}${separator}${n}`;
  taken.add(candidate);
  return candidate;
}

function prefixedName(version: string, separator: string, label: string, extension: string): MigrationName {
  const timestamp = parseTimestamp(version);
  const next = (from: string, step: number): string => {
    if (timestamp) return formatTimestamp(new Date(timestamp.getTime() + step * 1000));
    return (BigInt(from) + BigInt(step)).toString().padStart(from.length, '0');
  };
  const compare = (a: string, b: string) => {
    const diff = BigInt(a) - BigInt(b);
    return diff < 0n ? -1 : diff > 0n ? 1 : 0;
  };
  return {
    version,
    label,
    format: (v, l) => `${v}${separator}${l}${extension}`,
    following(count, nextVersion, byName) {
      const versions = Array.from({ length: count }, (_, i) => next(version, i + 1));
      if (nextVersion === undefined || compare(versions[count - 1], nextVersion) < 0) return versions;
      // '_' and '-' sort before letters, and a letter before any digit that follows: 0003_ < 0003a_ < 0004_.
      if (byName && !timestamp && count <= 26)
        return Array.from({ length: count }, (_, i) => version + String.fromCharCode(0x61 + i));
      return undefined;
    },
    versionOf: (name) => PREFIXED.exec(name)?.[1],
    compare,
  };
}

function flywayName(version: string, label: string, extension: string): MigrationName {
  const separator = version.includes('.') ? '.' : '_';
  const parts = (v: string) => v.split(/[._]/).map(Number);
  const compare = (a: string, b: string) => {
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const diff = (x[i] ?? 0) - (y[i] ?? 0);
      if (diff !== 0) return Math.sign(diff);
    }
    return 0;
  };
  const fits = (versions: string[], next: string | undefined) =>
    next === undefined || compare(versions[versions.length - 1], next) < 0;
  return {
    version,
    label,
    format: (v, l) => `V${v}__${l}${extension}`,
    following(count, next) {
      const own = parts(version);
      // V7 → V8, V9 while they are free; otherwise V7_1, V7_2, which Flyway orders between V7 and V8.
      const bumped = Array.from({ length: count }, (_, i) =>
        [...own.slice(0, -1), own[own.length - 1] + i + 1].join(separator),
      );
      if (fits(bumped, next)) return bumped;
      const nested = Array.from({ length: count }, (_, i) => [...own, i + 1].join(separator));
      return fits(nested, next) ? nested : undefined;
    },
    versionOf: (name) => FLYWAY.exec(name)?.[1],
    compare,
  };
}

/** `YYYYMMDDHHMMSS` as written by Rails, knex, Sequelize and dbmate (UTC). */
function parseTimestamp(version: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(version);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return formatTimestamp(date) === version ? date : undefined;
}

function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
