import type { DirectiveComment } from '../migration';
import { dbmate } from './dbmate';
import { goose } from './goose';
import { psql } from './psql';
import type { MigrationRunner, RunnerId } from './runner';
import { sqlMigrate } from './sql-migrate';

export type { MigrationRunner, MigrationUnit, NoTransactionSwitch, RunnerId } from './runner';

/** Every runner model; the ones a file can be recognised by come before psql, the fallback. */
export const RUNNERS: readonly MigrationRunner[] = [goose, dbmate, sqlMigrate, psql];

export const RUNNER_IDS: readonly RunnerId[] = RUNNERS.map((runner) => runner.id);

export function runnerById(id: RunnerId): MigrationRunner {
  return RUNNERS.find((runner) => runner.id === id) ?? psql;
}

/** The runner a .sql file was written for, and the comment that says so; psql when no runner's annotation is there. */
export function recogniseRunner(comments: readonly DirectiveComment[]): { runner: MigrationRunner; evidence?: DirectiveComment } {
  for (const runner of RUNNERS) {
    const evidence = runner.recognise(comments);
    if (evidence) return { runner, evidence };
  }
  return { runner: psql };
}
