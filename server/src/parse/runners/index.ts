import type { DirectiveComment } from '../migration-parts';
import { atlas } from './atlas';
import { dbmate } from './dbmate';
import { golangMigrate } from './golang-migrate';
import { goose } from './goose';
import { graphileMigrate } from './graphile-migrate';
import { liquibase } from './liquibase';
import { nodePgMigrate } from './node-pg-migrate';
import { psql } from './psql';
import type { MigrationRunner, RunnerId } from './runner';
import { sqlMigrate } from './sql-migrate';
import { sqlx } from './sqlx';

export type { MigrationRunner, NoTransactionSwitch, RunnerId, SectionWrapping } from './runner';
export type { MigrationUnit } from '../migration-parts';

/** Every runner model; the ones a file can be recognised by come before psql, the fallback. */
export const RUNNERS: readonly MigrationRunner[] = [goose, dbmate, sqlMigrate, nodePgMigrate, liquibase, sqlx, atlas, graphileMigrate, golangMigrate, psql];

export const RUNNER_IDS: readonly RunnerId[] = RUNNERS.map((runner) => runner.id);

export function runnerById(id: RunnerId): MigrationRunner {
  return RUNNERS.find((runner) => runner.id === id) ?? psql;
}

/**
 * The runner a .sql file was written for: by a runner's annotation in it (and that comment), else by a runner's
 * naming scheme, else psql.
 */
export function recogniseRunner(
  fileName: string,
  comments: readonly DirectiveComment[],
  firstStatement: number,
): { runner: MigrationRunner; evidence?: DirectiveComment; byName?: true } {
  for (const runner of RUNNERS) {
    const evidence = runner.recognise(comments, firstStatement);
    if (evidence) return { runner, evidence };
  }
  const named = RUNNERS.find((runner) => runner.recogniseName?.(fileName));
  return named ? { runner: named, byName: true } : { runner: psql };
}
