import * as path from 'path';
import { deferredQueryMadeAt, exportedFunction, type Loose, migrationObject, type RunnerFactory } from './runner';

/**
 * A Knex migration's `up(knex)` as knex-migrator runs it (in `knex.transaction` unless the job says the file runs
 * without one: its `config = { transaction: false }`, the config's `transaction`), a seed's `seed(knex)` as
 * `knex seed:run` does (never in a transaction).
 */
export const knexRunner: RunnerFactory = ({
  framework,
  frameworkRequire,
  packageDir,
  databaseUrl,
  followingSources,
}) => {
  if (followingSources) followKnexBuilders(frameworkRequire, packageDir);
  const knex = (framework.knex ?? framework)({ client: 'pg', connection: databaseUrl }) as Loose;
  return {
    async run(file, exports) {
      const exported = migrationObject(exports);
      if (typeof exported.up !== 'function' && typeof exported.seed === 'function')
        return void (await exported.seed(knex));
      const up = exportedFunction(exported, 'up', file.path);
      if (file.transaction === 'per-migration') await knex.transaction((trx: unknown) => up(trx));
      else await up(knex);
    },
    close: () => knex.destroy(),
  };
};

/**
 * `exports.up = (knex) => knex.schema.createTable(...)` returns a builder that Knex runs after `up` has returned, so
 * no frame of the file is in the stack of its queries. The stack where the builder was made is: it is kept on the
 * builder, and its `then` (which runs it) carries it, through the async context, to the driver's `query`. Knex's
 * internal module paths are those of Knex 1-3; where they differ, such statements keep line 0.
 */
function followKnexBuilders(knexRequire: NodeJS.Require, packageDir: string): void {
  try {
    const internal = (name: string) => knexRequire(path.join(packageDir, 'lib', name)) as Loose;
    const client = internal('client').prototype as Loose;
    for (const method of ['queryBuilder', 'schemaBuilder', 'raw']) {
      const make = client[method] as (...args: unknown[]) => Loose;
      client[method] = function (this: unknown, ...args: unknown[]) {
        const builder = make.apply(this, args);
        builder.preflightMadeAt = new Error().stack;
        return builder;
      };
    }
    for (const name of ['query/querybuilder', 'schema/builder', 'raw']) {
      const target = internal(name).prototype as Loose;
      const then = target.then as (...args: unknown[]) => unknown;
      target.then = function (this: Loose, ...args: unknown[]) {
        const madeAt = this.preflightMadeAt as string | undefined;
        return madeAt ? deferredQueryMadeAt.run(madeAt, () => then.apply(this, args)) : then.apply(this, args);
      };
    }
  } catch {
    // Another Knex layout: the statements its returned builders send keep line 0.
  }
}
