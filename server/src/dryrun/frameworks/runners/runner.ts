/**
 * What a framework's runner module (one per framework, beside this file) gives the framework runner
 * (framework-runner.ts): how that framework runs one migration or seed file, as the project's own copy of it does.
 */
import { AsyncLocalStorage } from 'async_hooks';
import type { JobFile } from '../job';

export type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface FrameworkRunner {
  /** Runs the file (its module's exports, as loaded) to its end, in a transaction exactly where the job says. */
  run(file: JobFile, exports: Loose): Promise<void>;
  /** Closes the framework's connections, so that the process can end. */
  close(): Promise<void>;
}

export interface RunnerContext {
  /** The framework's package, loaded from the project's node_modules. */
  framework: Loose;
  /** `require` from the framework's own package directory: its driver and internal modules resolve from there. */
  frameworkRequire: NodeJS.Require;
  packageDir: string;
  /** `require` from where the project's `pg` that the framework sends its queries through resolves. */
  driverRequire: NodeJS.Require;
  /** The proxy, or the embedded template database being built. */
  databaseUrl: string;
  /** Whether the dry-run follows each query to the line that sent it (not while replaying into the template). */
  followingSources: boolean;
}

export type RunnerFactory = (context: RunnerContext) => FrameworkRunner;

/**
 * A migration module's `{ up, down }` (or a Knex seed's `{ seed }`), as knex-migrator and sequelize-cli take it: an
 * ES module export `default { up }` counts as its exports.
 */
export function migrationObject(exports: Loose): Loose {
  return typeof exports.up === 'function' || typeof exports.seed === 'function'
    ? exports
    : (exports.default ?? exports);
}

export function exportedFunction(exported: Loose, name: string, file: string): (...args: unknown[]) => unknown {
  const fn = exported[name];
  if (typeof fn !== 'function') throw new Error(`${file.split(/[\\/]/).pop()} exports no ${name} function`);
  return fn as (...args: unknown[]) => unknown;
}

/**
 * The classes a migration module exports, as TypeORM and MikroORM find a migration in a file: every exported function
 * in the order exported (TypeScript's `export class AddOrders1700000000000`, transpiled), or the module itself where
 * it is one (`module.exports = class ...`, as TypeORM writes a JavaScript migration).
 */
export function exportedClasses(exports: Loose, file: string): (new (...args: unknown[]) => Loose)[] {
  const exported: unknown[] = typeof exports === 'function' ? [exports] : Object.values(exports);
  const classes = exported.filter((value) => typeof value === 'function');
  if (classes.length === 0) throw new Error(`${file.split(/[\\/]/).pop()} exports no migration class`);
  return classes as (new (...args: unknown[]) => Loose)[];
}

/**
 * The stack where a query was asked for, where the framework sends it later from a stack of its own (a Knex builder
 * `up` returns, run after `up` has returned): followed into the driver's `query` through the async context, and
 * searched there for the line of the file as the driver's own stack is.
 */
export const deferredQueryMadeAt = new AsyncLocalStorage<string>();

/**
 * The stacks where a framework was asked for queries that it collects and sends later (MikroORM's `addSql`,
 * node-pg-migrate's steps), per query text in the order asked: each is carried to the query when it is sent.
 */
export class DeferredQueries {
  private readonly stacks = new Map<unknown, string[]>();

  /** `query` was asked for here (the caller's stack). */
  note(query: unknown, stack = new Error().stack ?? ''): void {
    const stacks = this.stacks.get(query);
    if (stacks) stacks.push(stack);
    else this.stacks.set(query, [stack]);
  }

  /** Sends `query` under the stack noted first for it, if any (`deferredQueryMadeAt`). */
  send<T>(query: unknown, send: () => T): T {
    const madeAt = this.stacks.get(query)?.shift();
    return madeAt ? deferredQueryMadeAt.run(madeAt, send) : send();
  }
}
