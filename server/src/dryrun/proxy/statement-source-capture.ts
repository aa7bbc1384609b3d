/**
 * Part of the preload of a JS/TS script the dry-run runs (typescript-register.ts): notes, for every query the
 * script's `pg` or postgres-js (`postgres`) sends, the line of the script's own code that called it, so the report
 * can put each statement at that line (statement-sources.ts reads the notes after the program ends).
 *
 * The notes go out of band, one JSON line per query appended with a synchronous write to a file the dry-run
 * names in PREFLIGHT_STATEMENT_SOURCES, rather than as a comment inside the SQL: a comment would change the text
 * pg sends, which breaks pg's check that a named prepared statement keeps its text (the same name used from
 * two lines would throw "Prepared statements must be unique") and shifts every error position the server
 * reports; a socket or IPC message is asynchronous and is lost when the script ends with process.exit(), while
 * a synchronous append is on disk before the query is even written to the proxy. Each note is keyed by the
 * client connection (the backend process id the proxy gave it at startup, in BackendKeyData) and the query's
 * text, which the proxy sees in the same order on that connection.
 */
import * as fs from 'fs';
import { fileURLToPath } from 'url';
import {
  type CallerFrame,
  QUERIES_NOTED_BY_RUNNER,
  SOURCE_TEXT_LIMIT,
  type SourceNote,
} from './statement-source-notes';
import { type LibraryExport, patchExportAsLoaded } from './loaded-modules';
// The module system itself, whose `_load` is patched below: an `import * as` namespace would be a copy of it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import Module = require('module');

const LOG = process.env.PREFLIGHT_STATEMENT_SOURCES;
/** The frame of the program's code that called a pool's query, carried to the client query the pool makes. */
const CALLER = Symbol('preflight caller');
/** The frame noted for a pg Query object, read when it is submitted. */
const FRAME = Symbol('preflight frame');
const PATCHED = Symbol('preflight patched');
/** Where a postgres-js query keeps the connection's backend key data that postgres-js sets as its `state`. */
const BACKEND = Symbol('preflight backend');
/** postgres-js's Query, which its pool, connections and `sql` all construct, in either build. */
const POSTGRES_JS_QUERY: LibraryExport = {
  commonJs: /[\\/]postgres[\\/]cjs[\\/]src[\\/]query\.js$/,
  esModule: /[\\/]postgres[\\/]src[\\/]query\.js$/,
  name: 'Query',
};

type CallSite = NodeJS.CallSite & { isAsync?(): boolean };
interface PgModule {
  Client?: { prototype: Record<string | symbol, unknown> };
  Pool?: { prototype: Record<string | symbol, unknown> };
  Query?: { prototype: Record<string | symbol, unknown> };
}

if (LOG) {
  // Stack frames of a transpiled TypeScript script read back through its inline source map (typescript-register.ts
  // emits one): the report's lines, and the script's own error stacks, are the .ts file's.
  process.setSourceMapsEnabled(true);
  const moduleLoader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const load = moduleLoader._load;
  // `pg` is patched as the script (or its knex, Sequelize, TypeORM) loads it, from wherever it resolves: the
  // preload cannot require the script's copy itself.
  moduleLoader._load = function (request: string, parent: unknown, isMain: boolean) {
    const exports = load.call(this, request, parent, isMain);
    if (request === 'pg') patchPg(exports as PgModule);
    return exports;
  };
  patchExportAsLoaded(POSTGRES_JS_QUERY, notePostgresJsQueries);
}

function patchPg(pg: PgModule): void {
  const client = pg.Client?.prototype;
  const query = pg.Query?.prototype;
  if (!client || !query || client[PATCHED]) return;
  client[PATCHED] = true;
  const clientQuery = client.query as (this: PgClient, ...args: unknown[]) => unknown;
  const owners = new WeakMap<object, PgClient>();
  let calling: CallerFrame | undefined;
  client.query = function patchedQuery(this: PgClient, ...args: unknown[]) {
    const config = args[0] as Record<symbol, CallerFrame> | string | undefined;
    const frame = (typeof config === 'object' && config?.[CALLER]) || callerFrame(patchedQuery, 'Client.query');
    if (this.connection) owners.set(this.connection, this);
    // The query may be submitted inside this call (an idle client) or later from the queue: both find the frame.
    const previous = calling;
    calling = frame;
    try {
      const result = clientQuery.apply(this, args);
      const queue = this._queryQueue ?? this.queryQueue ?? [];
      for (const queued of [queue[queue.length - 1], this._activeQuery ?? this.activeQuery]) {
        if (queued && typeof queued === 'object' && !(FRAME in queued))
          (queued as Record<symbol, unknown>)[FRAME] = frame;
      }
      return result;
    } finally {
      calling = previous;
    }
  };
  const submit = query.submit as (this: Record<string | symbol, unknown>, connection: object) => unknown;
  query.submit = function (this: Record<string | symbol, unknown>, connection: object) {
    const failed = submit.call(this, connection);
    const frame = (this[FRAME] as CallerFrame | undefined) ?? calling;
    const owner = owners.get(connection);
    if (!failed && frame && owner?.processID) note({ pid: owner.processID, text: textOf(this), ...frame });
    return failed;
  };
  const pool = pg.Pool?.prototype;
  if (pool && typeof pool.query === 'function') {
    const poolQuery = pool.query as (...args: unknown[]) => unknown;
    // A pool runs the query on a client in a later callback, where the stack no longer reaches the caller.
    pool.query = function patchedPoolQuery(this: unknown, ...args: unknown[]) {
      const frame = callerFrame(patchedPoolQuery, 'Pool.query');
      if (frame && typeof args[0] === 'string') args[0] = { text: args[0], [CALLER]: frame };
      else if (frame && args[0] && typeof args[0] === 'object')
        Object.defineProperty(args[0], CALLER, { value: frame, configurable: true, writable: true });
      return poolQuery.apply(this, args);
    };
  }
}

type PostgresJsQuery = new (...args: unknown[]) => { string?: unknown };

/**
 * postgres-js builds a Query where the program calls it — a tagged template, `sql.unsafe`, the BEGIN of `sql.begin`
 * — and runs it later, from its pool's queue, where the stack no longer reaches the caller: the frame is taken when
 * the Query is made, and noted when a connection executes it. That is when postgres-js sets the query's `state` to
 * the connection's backend key data (the pid the proxy gave it) and has built the text it sends; queries it makes
 * itself (the array types it fetches on connecting) have no frame of the program and are not noted.
 */
function notePostgresJsQueries(exported: unknown): unknown {
  if (typeof exported !== 'function') return exported;
  const Query = exported as PostgresJsQuery;
  class NotedQuery extends Query {
    // Declared, not defined: a field would be set to undefined after postgres-js's constructor set `state` to null.
    declare [FRAME]?: CallerFrame;
    declare [BACKEND]: unknown;
    constructor(...args: unknown[]) {
      super(...args);
      this[FRAME] = callerFrame(NotedQuery, 'sql');
    }

    get state(): unknown {
      return this[BACKEND];
    }

    set state(backend: { pid?: unknown } | null) {
      this[BACKEND] = backend;
      const frame = this[FRAME];
      if (!frame || typeof backend?.pid !== 'number') return;
      note({
        pid: backend.pid,
        text: typeof this.string === 'string' ? this.string.slice(0, SOURCE_TEXT_LIMIT) : '',
        ...frame,
      });
    }
  }
  return NotedQuery;
}

/** What the patch reads of a pg Client: recent pg versions name its queue and active query with a leading `_`, older ones without. */
interface PgClient {
  connection?: object;
  processID?: number;
  _queryQueue?: unknown[];
  queryQueue?: unknown[];
  _activeQuery?: unknown;
  activeQuery?: unknown;
}

function textOf(query: Record<string | symbol, unknown>): string {
  return typeof query.text === 'string' ? query.text.slice(0, SOURCE_TEXT_LIMIT) : '';
}

let descriptor: number | undefined;

function note(entry: SourceNote): void {
  if ((globalThis as Record<symbol, unknown>)[QUERIES_NOTED_BY_RUNNER]) return;
  try {
    descriptor ??= fs.openSync(LOG!, 'a');
    fs.writeSync(descriptor, JSON.stringify(entry) + '\n');
  } catch {
    // A note that cannot be written leaves that statement without a line; the program runs on.
  }
}

/**
 * The innermost frame of the program's own code below `entry`: not in node_modules, not Node's own, not this
 * preload. Async frames count, so the caller of an `await`ed library call is found after the await resumed.
 */
function callerFrame(
  entry: ((...args: never[]) => unknown) | (new (...args: never[]) => unknown),
  entryName: string,
): CallerFrame | undefined {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  const holder: { stack?: CallSite[] } = {};
  try {
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.stackTraceLimit = 64;
    Error.captureStackTrace(holder, entry);
    const sites = holder.stack ?? [];
    const index = sites.findIndex((site) => isProgramFile(filePathOf(site)));
    if (index < 0) return undefined;
    const site = sites[index];
    return { ...originalPosition(site), callee: index > 0 ? calleeName(sites[index - 1]) : entryName };
  } catch {
    return undefined;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}

/** An ES module's frames name its file by URL. */
function filePathOf(site: CallSite): string | undefined {
  const name = site.getFileName() ?? undefined;
  return name?.startsWith('file:') ? fileURLToPath(name) : name;
}

function isProgramFile(file: string | undefined): file is string {
  return (
    !!file &&
    file.startsWith('/') &&
    !file.includes('/node_modules/') &&
    file !== __filename &&
    !file.endsWith('/typescript-register.js')
  );
}

function calleeName(site: CallSite): string {
  const type = site.getTypeName();
  const method = site.getMethodName() ?? site.getFunctionName() ?? 'query';
  return type && type !== 'Object' ? `${type}.${method}` : method;
}

/**
 * Source maps by file, looked up once per file: a file's map is registered when the file is compiled, before any
 * of its code can call a query, and Node's lookup turns the path into a URL on every call.
 */
const sourceMaps = new Map<string, ReturnType<typeof Module.findSourceMap>>();

/** The position in the file as written: through the source map of a transpiled TypeScript file. */
function originalPosition(site: CallSite): { file: string; line: number; column: number } {
  const file = filePathOf(site)!;
  const line = site.getLineNumber() ?? 0;
  const column = site.getColumnNumber() ?? 0;
  // Node keys source maps by the name V8 gives the file (a URL for an ES module), not by its path.
  const name = site.getFileName()!;
  if (!sourceMaps.has(name)) sourceMaps.set(name, Module.findSourceMap(name));
  const entry = sourceMaps.get(name)?.findEntry(line - 1, column - 1) as
    { originalLine?: number; originalColumn?: number } | undefined;
  if (entry?.originalLine === undefined) return { file, line, column };
  return { file, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
}
