/**
 * The notes a program's process writes, one JSON line per query, saying which line of its code sent it: written by
 * the script preload (statement-source-capture.ts) or by the framework runner (frameworks/framework-runner.ts), read
 * by statement-sources.ts once the program has ended. Kept apart because the writers run inside the program's
 * process, where nothing else of the dry-run is loaded.
 */

/** Query text is kept up to this length: enough to tell a program's statements apart. */
export const SOURCE_TEXT_LIMIT = 2000;

/**
 * Set on `globalThis` by a runner that notes its queries itself (the framework runner knows the migration's line
 * through the framework's async chain): the preload then writes no notes of its own.
 */
export const QUERIES_NOTED_BY_RUNNER = Symbol.for('preflight.queries-noted-by-runner');

/** Where the program's code called into the database library. */
export interface CallerFrame {
  file: string;
  line: number;
  column: number;
  /** The library function it called, as the stack names it (`Client.query`). */
  callee: string;
}

/** One note: the query a client connection submitted and the frame that sent it. */
export interface SourceNote extends CallerFrame {
  /** The backend process id the proxy gave the connection. */
  pid: number;
  text: string;
}
