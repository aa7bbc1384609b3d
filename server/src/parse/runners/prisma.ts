import { oneQueryRunner } from './runner';

/**
 * Prisma Migrate applies `prisma/migrations/<timestamp>_name/migration.sql` with one `simple_query` of the whole script
 * (schema engine, postgres connector `apply_migration_script`) and opens no transaction itself: PostgreSQL runs a
 * script of several statements as one implicit transaction block and a lone statement on its own, so CONCURRENTLY
 * works only alone in its migration. Before migrating it takes the session advisory lock 72707369 (10 s timeout).
 * There is no per-migration switch.
 */
export const prisma = oneQueryRunner({
  id: 'prisma',
  name: 'Prisma Migrate',
  docs: 'https://github.com/prisma/prisma-engines/blob/main/schema-engine/connectors/sql-schema-connector/src/flavour/postgres/connector/native/mod.rs',
  packages: ['prisma', '@prisma/client'],
  noSwitchAdvice: () =>
    'Prisma Migrate sends migration.sql as one query and has no switch: put this statement alone in a migration of its own (`prisma migrate dev --create-only`), where PostgreSQL runs it outside a transaction block.',
  sends: [
    'SELECT pg_advisory_lock(72707369), a session lock held while migrating',
    'its _prisma_migrations bookkeeping, in queries of their own',
  ],
});
