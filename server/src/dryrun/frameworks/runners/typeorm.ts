import { exportedClasses, type Loose, type RunnerFactory } from './runner';

/**
 * A TypeORM migration class's `up(queryRunner)`, as `typeorm migration:run` runs it: with a QueryRunner of a postgres
 * DataSource, so that `createTable(new Table(...))`, `addColumn` and `query` send the SQL TypeORM itself generates.
 * The DataSource has no entities and neither synchronizes nor runs migrations: of its own it sends only what it reads
 * on connecting (the server's version, the current schema). MigrationExecutor is not used because it writes the
 * `migrations` row the dry-run must not; the transaction is its per-migration one (`migrationsTransactionMode`
 * 'each', and 'all' for one migration), opened where the job says: not for `transaction = false`, which TypeORM runs
 * outside a transaction (in 'each' or 'none' mode; 'all' refuses the override), and for `transaction = true` in a
 * folder configured "transaction": "none" (TypeORM's 'none' mode, which the migration overrides).
 */
export const typeormRunner: RunnerFactory = ({ framework, databaseUrl }) => {
  const dataSource = new framework.DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities: [],
    migrations: [],
    synchronize: false,
    migrationsRun: false,
    logging: false,
  }) as Loose;
  let initialized: Promise<unknown> | undefined;
  return {
    async run(file, exports) {
      await (initialized ??= dataSource.initialize());
      for (const Migration of exportedClasses(exports, file.path)) {
        const migration = new Migration();
        const queryRunner = dataSource.createQueryRunner() as Loose;
        const inTransaction = file.transaction === 'per-migration';
        try {
          await queryRunner.beforeMigration();
          if (inTransaction) await queryRunner.startTransaction();
          await migration.up(queryRunner);
          if (inTransaction) await queryRunner.commitTransaction();
          await queryRunner.afterMigration();
        } catch (error) {
          // As MigrationExecutor: the original error, even where the rollback fails too.
          if (inTransaction) await queryRunner.rollbackTransaction().catch(() => undefined);
          throw error;
        } finally {
          await queryRunner.release();
        }
      }
    },
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
};
