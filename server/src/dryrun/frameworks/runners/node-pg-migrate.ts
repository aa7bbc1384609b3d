import { createRequire } from 'module';
import * as path from 'path';
import { DeferredQueries, exportedFunction, type Loose, migrationObject, type RunnerFactory } from './runner';

/**
 * Stands for the row node-pg-migrate writes into `pgmigrations` after a migration's steps (`_getMarkAsRun`): a
 * dry-run records nothing as run, so that statement is never sent.
 */
const NOT_RECORDED = '-- preflight: not recorded as run';

/**
 * A node-pg-migrate migration's `up(pgm)` as `node-pg-migrate up` applies it: node-pg-migrate's own `Migration` builds
 * the SQL with its MigrationBuilder (`pgm.createTable`, `pgm.sql`, the `shorthands` of the file and of the folder's
 * earlier migrations) and sends it step by step.
 * The transaction is the runner's, as with its default `--single-transaction` (`BEGIN`, the steps, `COMMIT`, or
 * `ROLLBACK` when a step fails), where the job says the file runs in one; without it where the job says it does not
 * (the lint's decision, which reads the file's `pgm.noTransaction()` the same way).
 */
export const nodePgMigrateRunner: RunnerFactory = ({
  framework,
  frameworkRequire,
  packageDir,
  databaseUrl,
  followingSources,
}) => {
  const connect = (frameworkRequire(path.join(packageDir, 'dist', 'db.js')) as Loose).default as (url: string) => Loose;
  const db = connect(databaseUrl);
  const steps = new DeferredQueries();
  const send = db.query as (text: unknown, values?: unknown) => Promise<unknown>;
  db.query = (text: unknown, values?: unknown) => {
    if (text === NOT_RECORDED) return Promise.resolve({ rows: [], rowCount: 0 });
    // A builder step is sent after `up` has returned, from node-pg-migrate's own stack: the stack where the file
    // called `pgm` goes with it, so that the statement is noted at that line.
    return steps.send(text, () => send(text, values));
  };
  return {
    async run(file, exports) {
      const exported = migrationObject(exports);
      const up = exportedFunction(exported, 'up', file.path);
      const options = { migrationsTable: 'pgmigrations', schema: 'public', singleTransaction: true };
      const shorthands = await shorthandsUpTo(file.path, frameworkRequire, packageDir);
      const migration = new framework.Migration(db, file.path, { up }, options, shorthands) as Loose;
      const apply = migration._apply as (action: unknown, pgm: Loose) => Promise<unknown>;
      migration._getMarkAsRun = () => NOT_RECORDED;
      migration._apply = (action: unknown, pgm: Loose) => {
        if (followingSources) noteWhereStepsAreMade(pgm, steps);
        // Read by `_apply` once `up` has run: with `singleTransaction`, true sends the steps as they are, in the
        // transaction opened below or in none; `pgm.noTransaction()` is already in the job's decision.
        pgm.isUsingTransaction = () => true;
        return apply.call(migration, action, pgm);
      };
      if (file.transaction !== 'per-migration') return void (await migration.apply('up'));
      await db.query('BEGIN');
      try {
        await migration.apply('up');
        await db.query('COMMIT');
      } catch (error) {
        await db.query('ROLLBACK');
        throw error;
      }
    },
    close: () => db.close(),
  };
};

/** Keeps, for each SQL step a `pgm` method adds, the stack of the call that added it. */
function noteWhereStepsAreMade(pgm: Loose, steps: DeferredQueries): void {
  for (const [name, method] of Object.entries(pgm)) {
    if (typeof method !== 'function') continue;
    pgm[name] = (...args: unknown[]) => {
      const before = (pgm._steps as string[]).length;
      const result = (method as (...args: unknown[]) => unknown)(...args);
      const madeAt = new Error().stack ?? '';
      for (const step of (pgm._steps as string[]).slice(before)) steps.note(step, madeAt);
      return result;
    };
  }
}

/**
 * The shorthands node-pg-migrate builds a migration with: every `shorthands` export of its folder's migrations up to
 * and including it, merged in the folder's order (node-pg-migrate's own `getMigrationFilePaths`), as its runner does —
 * a column type the first migration names is used by the later ones.
 */
async function shorthandsUpTo(file: string, frameworkRequire: NodeJS.Require, packageDir: string): Promise<Loose> {
  const { getMigrationFilePaths } = frameworkRequire(path.join(packageDir, 'dist', 'migration.js')) as Loose;
  const shorthandsOf = (migration: string) =>
    migrationObject(createRequire(migration)(migration) as Loose).shorthands as Loose | undefined;
  // Another node-pg-migrate layout: the file's own shorthands only.
  if (typeof getMigrationFilePaths !== 'function') return { ...shorthandsOf(file) };
  const target = path.resolve(file);
  let merged: Loose = {};
  for (const each of (await getMigrationFilePaths(path.dirname(target))) as string[]) {
    if (path.extname(each) !== '.sql') merged = { ...merged, ...shorthandsOf(each) };
    if (each === target) break;
  }
  return merged;
}
