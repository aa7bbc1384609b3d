import { createRequire } from 'module';
import { DeferredQueries, exportedClasses, type Loose, type RunnerFactory } from './runner';

/**
 * A MikroORM migration class as its Migrator runs it: constructed with the driver and the config, run by
 * @mikro-orm/migrations' own MigrationRunner, which calls `up()` (collecting its `addSql` queries, with the schema
 * helper's session setup around them) and then executes them, in one transaction unless `isTransactional()` says
 * false. MigrationRunner is taken from where the migration resolves @mikro-orm/migrations, the copy its `Migration`
 * comes from; the Migrator itself is not used, because it writes the `mikro_orm_migrations` row the dry-run must not.
 * Whether the runner opens the transaction is the job's (the lint's) decision, passed as the migrations config's
 * `transactional`; the other migration settings are MikroORM's defaults, not the project's mikro-orm config.
 */
export const mikroOrmRunner: RunnerFactory = ({ framework, databaseUrl, followingSources }) => {
  let started: Promise<Loose> | undefined;
  /** Where each `addSql` query was added: the migrator sends them after `up()` has returned. */
  const added = new DeferredQueries();
  const start = async (): Promise<Loose> => {
    const orm = (await framework.MikroORM.init({
      clientUrl: databaseUrl,
      entities: [],
      discovery: { warnWhenNoEntities: false },
      // Its default creates the database when missing, outside any transaction: a migration run never does.
      ensureDatabase: false,
      debug: false,
    })) as Loose;
    if (followingSources) followAddedQueries(orm.driver, added);
    return orm;
  };
  return {
    async run(file, exports) {
      const { driver, config } = await (started ??= start());
      const { MigrationRunner } = createRequire(file.path)('@mikro-orm/migrations') as Loose;
      const transactional = file.transaction === 'per-migration';
      const runner = new MigrationRunner(driver, { ...config.get('migrations'), transactional }, config);
      // The Migrator takes the first class the file exports.
      const [Migration] = exportedClasses(exports, file.path);
      const migration = new Migration(driver, config);
      if (followingSources) noteAddedQueries(migration, added);
      await runner.run(migration, 'up');
    },
    close: async () => {
      if (started) await (await started).close(true);
    },
  };
};

function noteAddedQueries(migration: Loose, added: DeferredQueries): void {
  const addSql = migration.addSql as (sql: unknown) => void;
  migration.addSql = function (this: Loose, sql: unknown) {
    added.note(sql);
    return addSql.call(this, sql);
  };
}

/**
 * An `addSql` query runs after `up()` has returned, from the migrator's stack: the stack where it was added is carried
 * to the driver's `query` through the async context, as a Knex builder's is.
 */
function followAddedQueries(driver: Loose, added: DeferredQueries): void {
  const execute = driver.execute as (...args: unknown[]) => unknown;
  driver.execute = function (this: unknown, sql: unknown, ...rest: unknown[]) {
    return added.send(sql, () => execute.call(this, sql, ...rest));
  };
}
