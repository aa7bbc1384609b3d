import { AsyncLocalStorage } from 'async_hooks';
import { exportedFunction, type Loose, migrationObject, type RunnerFactory } from './runner';

/** A Sequelize migration's or seeder's `up(queryInterface, Sequelize)`, as sequelize-cli or an umzug wrapper runs it. */
export const sequelizeRunner: RunnerFactory = ({ framework, databaseUrl }) => {
  const Sequelize = framework.Sequelize ?? framework;
  Sequelize.useCLS(transactionNamespace());
  const sequelize = new Sequelize(databaseUrl, { dialect: 'postgres', logging: false }) as Loose;
  const queryInterface = sequelize.getQueryInterface();
  return {
    async run(file, exports) {
      const up = exportedFunction(migrationObject(exports), 'up', file.path);
      // sequelize-cli opens no transaction (sequelize/cli#1364); an umzug wrapper opens one per migration, and with
      // CLS every query of `up` joins it, queryInterface calls too (they take no transaction unless passed one). A
      // transaction `up` opens itself is a separate one on another connection, as under such a wrapper.
      if (file.transaction === 'per-migration') await sequelize.transaction(() => up(queryInterface, Sequelize));
      else await up(queryInterface, Sequelize);
    },
    close: () => sequelize.close(),
  };
};

/**
 * What `Sequelize.useCLS` takes (a cls-hooked namespace: `run`, `get`, `set`, `bind`), on Node's AsyncLocalStorage,
 * so that the project needs no cls-hooked. Sequelize keeps the transaction a callback runs in under `transaction`.
 */
function transactionNamespace(): Loose {
  const storage = new AsyncLocalStorage<Map<string, unknown>>();
  return {
    run: (fn: (context: Map<string, unknown>) => unknown) => {
      const context = new Map(storage.getStore());
      return storage.run(context, () => fn(context));
    },
    get: (key: string) => storage.getStore()?.get(key),
    set: (key: string, value: unknown) => {
      storage.getStore()?.set(key, value);
      return value;
    },
    bind: <Fn extends (...args: unknown[]) => unknown>(fn: Fn) => AsyncLocalStorage.bind(fn),
  };
}
