/**
 * What the dry-run asks the framework runner (framework-runner.ts, a child process) to do, and what it answers: the
 * contract between the two processes, written to files because the child's stdout and stderr are the program
 * output the report shows.
 */

import type { TransactionMode } from '../../parse/transactions';

/** The frameworks whose migrations and seeds the dry-run runs through the project's own copy. */
export type RunnableFramework =
  'knex' | 'sequelize' | 'typeorm' | 'mikro-orm' | 'node-pg-migrate' | 'db-migrate' | 'kysely';

export interface FrameworkJob {
  framework: RunnableFramework;
  /** The framework's package directory in the project's node_modules. */
  packageDir: string;
  /** Where the `pg` the framework sends its queries through resolves from (`InstalledFramework.driverDir`). */
  driverDir: string;
  /** Run in order, each to its end (or failure) before the next. */
  files: JobFile[];
  /** Where the runner writes one `JobResult` per file (JSON). */
  resultsFile: string;
}

export interface JobFile {
  /**
   * A migration (its `up` runs: a TypeORM or MikroORM migration class's too) or a seed file (Knex `seed`, a
   * Sequelize seeder's `up`).
   */
  path: string;
  /**
   * Whether the runner wraps the migration (its `up`) in a transaction: the lint's decision for the file
   * (parse/migration.ts `hostTransactionMode`). A Knex seed runs without one whatever this says, as `knex seed:run` does.
   */
  transaction: TransactionMode;
}

export interface JobResult {
  path: string;
  ok: boolean;
  error?: { message: string; code?: string };
}
