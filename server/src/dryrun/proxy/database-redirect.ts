/**
 * What a dry-run tells the preload of the Node program it runs (connection-redirect.ts) about the one database the
 * program may reach, in an environment variable, and how the preload's refusals come back. Kept apart, like
 * statement-source-notes.ts, because the preload runs inside the program's process, where nothing else of the
 * dry-run is loaded.
 */
import * as fs from 'fs';

/** The environment variable that carries a `DatabaseRedirect` as JSON. */
export const DATABASE_REDIRECT_VARIABLE = 'PREFLIGHT_DATABASE_REDIRECT';

/** PostgreSQL's default port: the one a config naming another server most likely uses. */
export const POSTGRES_DEFAULT_PORT = 5432;

export interface DatabaseRedirect {
  /** Where every connection of `pg` goes, whatever its own config names: the transaction proxy (or the build database of a replay). */
  endpoint: { host: string; port: number; user: string; password: string; database: string };
  /** TCP ports on which a connection to any other host is refused: 5432 and the port of the dry-run's own database. */
  guardedPorts: number[];
  /** Where the preload appends each refused target, one a line, for the report; absent in a replay. */
  refusalsFile?: string;
}

/** Said on the program's stderr, in the error its connection gets, and as a note of the report. */
export function directConnectionRefusal(target: string): string {
  return `preflight dry-run: this program tried to connect to ${target} directly; a dry-run only reaches the database through its transaction proxy`;
}

/** The refusals the preload wrote, each target once, in the order they happened. */
export function readRefusals(refusalsFile: string): string[] {
  let text = '';
  try {
    text = fs.readFileSync(refusalsFile, 'utf8');
  } catch {
    return [];
  }
  const targets = new Set(text.split('\n').filter((line) => line.length > 0));
  return [...targets].map(directConnectionRefusal);
}
