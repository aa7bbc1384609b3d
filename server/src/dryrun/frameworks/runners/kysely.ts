import { exportedFunction, type Loose, migrationObject, type RunnerFactory } from './runner';

/**
 * A Kysely migration's `up(db)` as Kysely's `Migrator` runs it, on a real `Kysely` with a `PostgresDialect` over a
 * `pg.Pool` of the project's own pg: in `db.transaction()` — the Migrator's choice where the dialect supports
 * transactional DDL, as PostgreSQL's does — unless the job says the file runs without one (a Migrator made with
 * `disableTransactions`, which the config's `transaction: "none"` says), then on one connection
 * (`db.connection()`), as the Migrator does. Kysely's own tables (`kysely_migration`, its lock) are not touched: a
 * dry-run records nothing as run.
 */
export const kyselyRunner: RunnerFactory = ({ framework, driverRequire, databaseUrl }) => {
  const pg = driverRequire('pg') as Loose;
  const db = new framework.Kysely({
    dialect: new framework.PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl }) }),
  }) as Loose;
  return {
    async run(file, exports) {
      const up = exportedFunction(migrationObject(exports), 'up', file.path);
      if (file.transaction === 'per-migration') await db.transaction().execute((trx: unknown) => up(trx));
      else await db.connection().execute((connection: unknown) => up(connection));
    },
    close: () => db.destroy(),
  };
};
