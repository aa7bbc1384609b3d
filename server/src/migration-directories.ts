/**
 * The directory names migration tools use by default: Sequelize (`migrations`, `seeders`), Knex
 * (`migrations`, `seeds`), TypeORM (`migration`, `migrations`), node-pg-migrate and db-migrate
 * (`migrations`), Rails-style `db/migrate`. A TS/JS file is a migration inside one of these or inside a
 * directory that config `migrations` names.
 */
export const CONVENTIONAL_MIGRATION_DIRECTORIES: readonly string[] = ['migrations', 'migration', 'seeds', 'seeders', 'db/migrate'];
