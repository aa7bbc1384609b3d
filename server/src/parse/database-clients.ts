import { typescript } from './typescript';

/**
 * The modules through which TS/JS code talks to a database: drivers, query builders, ORMs and migration tools.
 * A file that imports or requires one of them (or a subpath: `@mikro-orm/migrations`, `drizzle-orm/pg-core`)
 * sends SQL, wherever it lives — seed scripts (`packages/db/src/seed.ts`), sync engines, remediation scripts —
 * so the editor lints it as the CLI does, with no configuration.
 */
const DATABASE_MODULES = [
  'pg',
  'pg-promise',
  'postgres',
  'slonik',
  '@neondatabase/serverless',
  '@vercel/postgres',
  'mysql',
  'mysql2',
  'knex',
  'kysely',
  'drizzle-orm',
  'sequelize',
  'typeorm',
  '@mikro-orm',
  '@prisma/client',
  'node-pg-migrate',
  'db-migrate',
];

/** Whether `module` is one of the database modules or a subpath of one (`pg/lib/client` is, `pgx` is not). */
export function isDatabaseModule(module: string): boolean {
  return DATABASE_MODULES.some((name) => module === name || module.startsWith(`${name}/`));
}

/**
 * Whether the file imports a database module: `import`, `export ... from`, `require()` and `import()` as
 * TypeScript's own pre-processor reads them (it only scans tokens, so a file with syntax errors still answers).
 */
export function importsDatabaseClient(text: string): boolean {
  const { importedFiles } = typescript().preProcessFile(text, true, true);
  return importedFiles.some((imported) => isDatabaseModule(imported.fileName));
}
