import * as fs from 'fs';
import * as path from 'path';
import { deferredQueryMadeAt, type Loose, type RunnerFactory } from './runner';

/**
 * A db-migrate migration's `up(db, callback)` (or `up(db)` returning a promise) as `db-migrate up` runs it, through
 * db-migrate's own modules and its PostgreSQL driver (db-migrate-pg, loaded from the project): its `setup(options,
 * seedLink)` first, then `up` on the driver's migration interface, between the driver's `startMigration` and
 * `endMigration` — `BEGIN;` and `COMMIT;` unless transactions are off (`--non-transactional`), which is the job's
 * `transaction` (the lint's decision: db-migrate's default is a transaction per migration). What db-migrate does
 * between `up` and `endMigration`, writing the row into its `migrations` table, is left out: a dry-run records
 * nothing as run.
 */
export const dbMigrateRunner: RunnerFactory = ({
  framework,
  frameworkRequire,
  packageDir,
  driverRequire,
  databaseUrl,
  followingSources,
}) => {
  // bluebird runs the `then` callbacks queued in one tick under the async context of the first: with async hooks on,
  // each runs under its own, so that the stack a call carries reaches the queries it sends from a `then`.
  if (followingSources)
    for (const load of [frameworkRequire, driverRequire]) load('bluebird').config({ asyncHooks: true });
  const internal = (name: string) => frameworkRequire(path.join(packageDir, 'lib', name)) as Loose;
  const Migrator = internal('migrator') as unknown as new (...args: unknown[]) => Loose;
  const Migration = internal('migration') as unknown as new (...args: unknown[]) => Loose;
  const internals: Loose = {
    argv: {},
    migrationOptions: { dbmigrate: framework, Promise: frameworkRequire('bluebird') },
  };
  let connected: Promise<Loose> | undefined;
  const connect = () =>
    (connected ??= new Promise<Loose>((resolve, reject) =>
      internal('driver').connect(
        { driver: 'pg', connectionString: databaseUrl },
        internals,
        (error: unknown, driver: Loose) => (error ? reject(error) : resolve(driver)),
      ),
    ));
  return {
    async run(file) {
      internals.notransactions = file.transaction !== 'per-migration';
      const migrator = new Migrator(await connect(), path.dirname(file.path), false, internals) as Loose;
      const migration = new Migration(file.path, internals) as Loose;
      // Stack frames name files by their real path.
      if (followingSources) carryCallStacks(migrator.driver, fs.realpathSync(file.path));
      await migrator.driver.startMigration();
      const setup = migration.setup();
      if (typeof setup === 'function') setup(internals.migrationOptions, migrator.seedLink);
      await migrator.up(migration.up.bind(migration));
      await migrator.driver.endMigration();
    },
    close: async () => {
      if (connected) await (await connected).close();
    },
  };
};

/**
 * db-migrate sends some of a call's queries from a bluebird `then` (its `createTable` after a shadow step), where no
 * frame of the migration is in the stack: each call of the migration's `db` carries the stack it was made from, as a
 * Knex builder does, so that its statements are noted at the migration's line.
 */
function carryCallStacks(db: Loose, migrationFile: string): void {
  for (const [name, method] of Object.entries(db)) {
    if (typeof method !== 'function') continue;
    const call = method as (...args: unknown[]) => unknown;
    db[name] = (...args: unknown[]) => {
      const stack = new Error().stack ?? '';
      // Only a call the migration makes: db-migrate calls its `db` methods itself too (createTable its runSql).
      return stack.includes(migrationFile)
        ? deferredQueryMadeAt.run(stack, () => call.apply(db, args))
        : call.apply(db, args);
    };
  }
}
