import type { MigrationFile, Operation } from '../parse/migration';

/**
 * Tables the file creates as `CREATE TEMP TABLE` / `CREATE TEMPORARY TABLE` (or `... AS`): PostgreSQL keeps
 * them in the session's own temporary schema, invisible to every other session, and drops them at the end of
 * the session (or transaction, `ON COMMIT DROP`). Nobody else reads, writes or waits for them, so lock,
 * truncate and DDL/DML-mixing hazards do not apply to them: a sync script's staging table is not the schema.
 */
const cache = new WeakMap<MigrationFile, ReadonlySet<string>>();

export function sessionPrivateTables(file: MigrationFile): ReadonlySet<string> {
  let tables = cache.get(file);
  if (tables) return tables;
  const found = new Set<string>();
  for (const operation of file.operations) {
    const node = operation.statement?.node;
    const relation = node?.CreateStmt?.relation ?? node?.CreateTableAsStmt?.into?.rel;
    if (relation?.relpersistence === 't') operation.creates.forEach((table) => found.add(table));
  }
  cache.set(file, (tables = found));
  return tables;
}

/** Whether everything the operation touches or creates is a session-private table of this file. */
export function touchesOnlySessionPrivate(file: MigrationFile, operation: Operation): boolean {
  const tables = sessionPrivateTables(file);
  if (tables.size === 0) return false;
  const touched = [...operation.tables.map((t) => t.table), ...operation.creates];
  return touched.length > 0 && touched.every((table) => tables.has(table));
}
