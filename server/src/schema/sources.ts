import { ResolvedConfig, dialectOf } from '../resolved-config';
import { SchemaReplayCache } from './cache';
import type { Catalog, SkippedStatement } from './catalog';
import { connectDatabase, redactUrl, resolveDatabaseUrl } from './connection';
import { MigrationListings, historyOf } from './directory';
import { introspectDatabase } from './introspect';

/** Where a catalog came from, for `preflight schema` and for messages. */
export type SchemaSource =
  { kind: 'database'; url: string } | { kind: 'replay'; directory: string; migrations: string[]; schemaFile?: string };

export interface CatalogResult {
  catalog: Catalog;
  source: SchemaSource;
  skipped: readonly SkippedStatement[];
}

export interface CatalogOptions {
  /** `--database-url`: a postgres:// URL, a connection named in config, or `env` (see resolveDatabaseUrl). */
  databaseUrl?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Schema sources held for the lifetime of a CLI run or a language server: the replay cache, and one
 * introspection per database (a live schema is read once, not once per linted file).
 */
export class SchemaSources {
  readonly replay: SchemaReplayCache;
  /** Present when no migration is added or removed while these sources live (one CLI run). */
  readonly listings?: MigrationListings;
  private readonly databases = new Map<string, Promise<Catalog>>();

  constructor(replay = new SchemaReplayCache(), listings?: MigrationListings) {
    this.replay = replay;
    this.listings = listings;
  }

  database(url: string): Promise<Catalog> {
    let catalog = this.databases.get(url);
    if (!catalog) {
      catalog = readDatabase(url);
      this.databases.set(url, catalog);
      catalog.catch(() => this.databases.delete(url));
    }
    return catalog;
  }
}

async function readDatabase(url: string): Promise<Catalog> {
  const client = await connectDatabase(url);
  try {
    return await introspectDatabase(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The schema as it stands before `filePath` runs: the CLI, the language server and the tests all ask here, so
 * they agree. With a database, its live schema; otherwise the replay of `schemaFile` (if configured) and of the
 * migrations that sort before the file in its migration directory. Throws SchemaSourceError when a database
 * was asked for and cannot be read; replay never throws on file content. The SQL parser must be loaded.
 */
export async function catalogFor(
  filePath: string,
  config: ResolvedConfig,
  sources: SchemaSources,
  options: CatalogOptions = {},
): Promise<CatalogResult> {
  if (options.databaseUrl !== undefined) {
    const url = resolveDatabaseUrl(options.databaseUrl, config, options.env);
    return { catalog: await sources.database(url), source: { kind: 'database', url: redactUrl(url) }, skipped: [] };
  }
  return replayedCatalogFor(filePath, config, sources.replay, sources.listings);
}

/** The replayed catalog before `filePath` (synchronous: no database involved). */
export function replayedCatalogFor(
  filePath: string,
  config: ResolvedConfig,
  cache: SchemaReplayCache,
  listings?: MigrationListings,
): CatalogResult {
  const history = historyOf(filePath, config, listings);
  const directory = history.directory;
  const before = history.migrations.filter((file) => file !== config.schemaFile);
  const state = cache.replay(directory, before, config.schemaFile, dialectOf(config, filePath));
  return {
    catalog: state.catalog,
    source: {
      kind: 'replay',
      directory,
      migrations: before,
      ...(config.schemaFile ? { schemaFile: config.schemaFile } : {}),
    },
    // Read only by `preflight schema`: a lint of each file of a directory must not copy the list each time.
    get skipped() {
      return state.skipped;
    },
  };
}
