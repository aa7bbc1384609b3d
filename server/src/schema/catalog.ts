/**
 * What Preflight knows of the database schema before a migration runs: built by replaying earlier
 * migrations, introspecting a live database, or replaying a schema dump.
 */
export interface Catalog {
  tables: ReadonlyMap<string, TableInfo>;
}

export interface TableInfo {
  /** `schema.table`. */
  name: string;
}
