/**
 * The database a migration is written for. PostgreSQL is Preflight's home: its statements are parsed by the
 * real PostgreSQL grammar (libpg-query) and dry-run against a real server. MySQL and MariaDB migrations are
 * parsed with node-sql-parser into the same statement model, so the rules that make sense there run on them
 * too (see docs/mysql.md).
 */
export type Dialect = 'postgresql' | 'mysql' | 'mariadb';

/** Every dialect: for rules whose hazard exists wherever the migration runs. */
export const DIALECTS: readonly Dialect[] = ['postgresql', 'mysql', 'mariadb'];

/** MySQL and its fork MariaDB: the same implicit commits, named locks and quoting. */
export const MYSQL_DIALECTS: readonly Dialect[] = ['mysql', 'mariadb'];

/** How messages and docs name the database. */
export const DIALECT_NAMES: Record<Dialect, string> = { postgresql: 'PostgreSQL', mysql: 'MySQL', mariadb: 'MariaDB' };

/**
 * A table's name as findings write it. Preflight keys tables `schema.table`, with `public` for a name written
 * without a schema (parse/ast.ts); in MySQL that stands for the connection's current database, which has no
 * name to write, so it is left out (`public.users` → `users`, `app.users` stays).
 */
export function tableLabel(table: string, dialect: Dialect): string {
  return dialect !== 'postgresql' && table.startsWith('public.') ? table.slice('public.'.length) : table;
}
