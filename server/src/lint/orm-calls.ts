import type { Framework, SchemaCall } from '../parse/host-types';
import type { MigrationFile, Operation } from '../parse/migration';

/**
 * The ORM schema call whose SQL an operation's statement is (parse/orm/ generates it at extraction): rules read
 * the statement like any other and only word their advice for the call (a framework option rather than raw SQL).
 */
export function ormCallOf(operation: Operation): SchemaCall | undefined {
  return operation.call?.kind === 'ddl' && operation.statement?.fragment.generated ? operation.call : undefined;
}

/** Frameworks whose index calls take `{ concurrently: true }` (knex and TypeORM have none: raw SQL). */
const CONCURRENT_INDEX_FRAMEWORKS = new Set<Framework>(['sequelize', 'node-pg-migrate']);

export function ormSupportsConcurrently(file: MigrationFile): boolean {
  return CONCURRENT_INDEX_FRAMEWORKS.has(file.host?.framework ?? 'script');
}
