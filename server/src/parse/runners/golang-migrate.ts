import type { MigrationRunner } from './runner';

/**
 * golang-migrate reads a whole `NNN_title.up.sql` (or `.down.sql`) file and its postgres driver sends it with one
 * `ExecContext` call without arguments (database/postgres/postgres.go, `Run` → `runStatement`): one simple-protocol
 * query, which PostgreSQL runs as one implicit transaction when it holds several statements, and a lone statement
 * on its own. There is no per-file switch; `x-multi-statement=true` in the database URL splits the file on `;`
 * and sends each statement separately (the directory's `"transaction": "none"`).
 */
export const golangMigrate: MigrationRunner = {
  id: 'golang-migrate',
  name: 'golang-migrate',
  docs: 'https://github.com/golang-migrate/migrate/blob/master/database/postgres/postgres.go',
  packages: ['github.com/golang-migrate/migrate'],
  wrapping: 'one-query',
  withoutTransaction: 'one-query',
  definiteTransaction: true,
  recognisedByDependency: true,
  recognise: () => undefined,
  recogniseName: (fileName) => /^\d+_[^.]*\.(up|down)\.sql$/i.test(fileName),
  units: () => [],
  noTransactionSwitch: () => undefined,
  // database/postgres/postgres.go `Lock`: a session lock on a key derived from the database and schema names.
  sends: [
    'SELECT pg_advisory_lock(<key of the database and schema>), held while migrating (golang-migrate/migrate#960)',
  ],
};
